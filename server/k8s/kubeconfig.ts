/**
 * The kubeconfig a player downloads (`GET /k8s/kubeconfig` with their bearer token): one cluster and
 * context per team they may read (their own; a trainer's, every team's), their own team's context
 * current, namespace `default`. https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 *
 * May import: yaml.
 */
import { stringify } from 'yaml';

/** What goes into a kubeconfig. `baseUrl` is how the player reaches the server, e.g. `http://host:2567`. */
export interface KubeconfigInput {
  baseUrl: string;
  matchId: string;
  user: string;
  token: string;
  /** The player's team: its context is current. */
  team: string;
  /** Teams with a context (the player's first). */
  teams: readonly string[];
}

/** The cluster path of a team: `/k8s/MATCH/TEAM`. */
export function clusterPath(matchId: string, team: string): string {
  return `/k8s/${encodeURIComponent(matchId)}/${encodeURIComponent(team)}`;
}

/**
 * The kubeconfig YAML text. The cluster URLs carry the token (`.../TEAM/token/TOKEN`) because kubectl
 * sends `user.token` only over TLS (kubernetes/kubectl#744); `user.token` is there too for HTTPS. An
 * `http://` server gets `insecure-skip-tls-verify: true` (nothing to verify; what @kubernetes/client-node
 * asks before it speaks plain HTTP).
 */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const short = input.matchId.slice(0, 8);
  const userName = `gameday-${short}-${input.user}`;
  const teams = [input.team, ...input.teams.filter((t) => t !== input.team)];
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: teams.map((t) => ({
      name: `gameday-${short}-${t}`,
      cluster: {
        server: `${input.baseUrl}${clusterPath(input.matchId, t)}/token/${encodeURIComponent(input.token)}`,
        // Plain HTTP has no certificate to verify; @kubernetes/client-node refuses http:// URLs without it.
        ...(input.baseUrl.startsWith('http://') ? { 'insecure-skip-tls-verify': true } : {}),
      },
    })),
    users: [{ name: userName, user: { token: input.token } }],
    contexts: teams.map((t) => ({ name: `gameday-${t}`, context: { cluster: `gameday-${short}-${t}`, user: userName, namespace: 'default' } })),
    'current-context': `gameday-${input.team}`,
  };
  return stringify(doc);
}
