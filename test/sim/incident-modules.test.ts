/**
 * The incident registry: each kind is one module whose params schema (with its defaults) is shared by
 * the scenario format and the sim; the catalog lists every kind; bad kinds and params are rejected with
 * the list of kinds or the field path.
 */
import { describe, it, expect, expectTypeOf } from 'vitest';
import type { Scenario } from '../../shared/scenario/schema.ts';
import { createSim } from '../../shared/sim/index.ts';
import { feedRows } from './fixtures.ts';
import type { IncidentType } from '../../shared/sim/types.ts';
import { incidentCatalog, incidentModule, incidentRegistry } from '../../shared/sim/incidents/index.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { INCIDENT_KINDS, incidentDeclarations } from '../../shared/sim/incidents/registry.ts';
import { IncidentParamsSchemas, IncidentSchema } from '../../shared/scenario/schema.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { problemsOf } from '../scenario/helpers.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { badRolloutIncident, podsOf, shopInput, stepN } from './game-fixtures.ts';

const minimal = `${MINIMAL_SCENARIO}incidents:
`;

describe('incident registry', () => {
  it('has one module per declared kind, each naming its own kind and using its declared params schema', () => {
    expect(Object.keys(incidentRegistry)).toEqual(INCIDENT_KINDS);
    for (const kind of INCIDENT_KINDS) {
      const mod = incidentRegistry[kind];
      expect(mod.kind).toBe(kind);
      expect(mod.params).toBe(incidentDeclarations[kind].params);
      expect(mod.target.kind).toBe(incidentDeclarations[kind].target);
      // The scenario format checks params with the very same schema object.
      expect(IncidentParamsSchemas[kind]).toBe(mod.params);
    }
    expect(IncidentSchema.options.map((o) => o.shape.type.value)).toEqual(INCIDENT_KINDS);
    // The derived scenario union keeps each kind's typed params and target.
    type Of<K> = Extract<Scenario['incidents'][number], { type: K }>;
    expectTypeOf<Of<'bad-rollout'>['params']['errorRate']>().toEqualTypeOf<number>();
    expectTypeOf<Of<'node-failure'>['params']>().toEqualTypeOf<{ recoverAfter?: number | undefined }>();
    expectTypeOf<Of<'etcd-quorum-loss'>['target']>().toEqualTypeOf<string | string[]>();
    expectTypeOf<Of<'memory-leak'>['target']>().toEqualTypeOf<string>();
  });

  it('derives IncidentType from the registry: adding a kind is its module and one registry line', () => {
    expectTypeOf<IncidentType>().toEqualTypeOf<keyof typeof incidentRegistry>();
    // The catalog grows (issue 7): the original kinds stay, first and in order; new kinds are appended.
    expectTypeOf<'memory-leak' | 'etcd-quorum-loss' | 'bad-rollout' | 'node-failure' | 'pod-kill' | 'traffic-spike' | 'slow-dependency'>().toExtend<IncidentType>();
    expect(INCIDENT_KINDS).toEqual(expect.arrayContaining(['memory-leak', 'etcd-quorum-loss', 'bad-rollout', 'node-failure', 'pod-kill', 'traffic-spike', 'slow-dependency']));
    expect(INCIDENT_KINDS.slice(0, 7)).toEqual(['memory-leak', 'etcd-quorum-loss', 'bad-rollout', 'node-failure', 'pod-kill', 'traffic-spike', 'slow-dependency']);
    for (const kind of INCIDENT_KINDS) {
      // The scenario-facing declaration is read from the module, not written beside it.
      expect(incidentDeclarations[kind].checkDeployment !== undefined).toBe(incidentRegistry[kind].checkDeployment !== undefined);
    }
  });

  it('takes defaults from the module: bad-rollout errorRate 0.3 when omitted, in the scenario and in the sim', () => {
    expect(incidentRegistry['bad-rollout'].params.parse({})).toEqual({ errorRate: 0.3 });
    expect(incidentRegistry['memory-leak'].params.parse({})).toEqual({ growthMiBPerSec: 0.5 });
    expect(parseScenario(`${minimal}  - { id: bad, type: bad-rollout, at: 20, target: web }\n`).incidents[0]!.params).toEqual({ errorRate: 0.3 });

    // A spec built without the scenario parser (no errorRate) gets the same default when it starts.
    const s = createSim(shopInput({ incidents: [{ ...badRolloutIncident, params: {} }] }));
    stepN(s, 61);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(s.images[inc.data['badImage'] as string]!.errorRate).toBe(0.3);
  });

  it('rejects an unknown kind with the list of kinds', () => {
    expect(() => incidentModule('constructor' as IncidentType)).toThrow(/^unknown incident kind "constructor" \(kinds: memory-leak, etcd-quorum-loss, bad-rollout, node-failure, pod-kill, traffic-spike, slow-dependency(, [a-z-]+)*\)$/);
    const problems = problemsOf(() => parseScenario(`${minimal}  - { id: x, type: disk-full, at: 10, target: web }\n`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^incidents\[0\]\.type: unknown incident type: supported types are /);
    for (const kind of INCIDENT_KINDS) expect(problems[0]).toContain(kind);
  });

  it('rejects bad params with the field path, in the scenario and in the sim', () => {
    expect(problemsOf(() => parseScenario(`${minimal}  - { id: bad, type: bad-rollout, at: 20, target: web, params: { errorRate: 2 } }\n`))).toEqual([
      'incidents[0].params.errorRate: must be between 0 and 1 (line 11)',
    ]);
    expect(problemsOf(() => parseScenario(`${minimal}  - { id: down, type: node-failure, at: 20, target: node-a1, params: { recoverAfter: 1.5 } }\n`))).toEqual([
      'incidents[0].params.recoverAfter: must be a whole number of sim seconds (line 11)',
    ]);

    const s = createSim(shopInput({ incidents: [{ ...badRolloutIncident, params: { errorRate: 2 } }, { ...badRolloutIncident, id: 'typo', params: { errRate: 0.5 } }] }));
    stepN(s, 61);
    expect(s.incidents.map((i) => [i.status, i.data['error']])).toEqual([
      ['mitigated', 'params.errorRate: must be between 0 and 1'],
      ['mitigated', 'params: unknown key "errRate"'],
    ]);
    expect(feedRows(s).filter((e) => e.reason === 'IncidentInvalid').map((e) => e.message)).toEqual([
      'Incident bad-frontend skipped: params.errorRate: must be between 0 and 1',
      'Incident typo skipped: params: unknown key "errRate"',
    ]);
  });

  it('catalogs every kind with a title, a target and non-empty symptoms and remediations', () => {
    const catalog = incidentCatalog();
    expect(catalog.map((c) => c.kind)).toEqual(INCIDENT_KINDS);
    for (const entry of catalog) {
      expect(entry.title).not.toBe('');
      expect(entry.target).not.toBe('');
      expect(entry.symptoms.length).toBeGreaterThan(0);
      expect(entry.symptoms.every((s) => s.length > 0)).toBe(true);
      expect(entry.remediations.length).toBeGreaterThan(0);
      for (const r of entry.remediations) {
        expect(r.summary).not.toBe('');
        expect(r.command).toMatch(/^(kubectl|etcdctl|kubeadm|ssh) /);
      }
    }
    expect(catalog.find((c) => c.kind === 'bad-rollout')).toMatchObject({
      title: 'Bad rollout of <deployment>',
      remediations: [expect.objectContaining({ command: 'kubectl rollout undo deployment/<deployment>' }), expect.anything()],
    });
    expect(catalog.find((c) => c.kind === 'bad-rollout')!.params).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { errorRate: { type: 'number', default: 0.3, minimum: 0, maximum: 1, description: expect.stringMatching(/fails/) } },
    });
    expect(catalog.find((c) => c.kind === 'memory-leak')!.params).toMatchObject({ properties: { growthMiBPerSec: { default: 0.5 } } });
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
  });

  it("gives remediation commands the players' console accepts as actions", () => {
    // kube-system on (CoreDNS's commands name its Deployment); the frontend has an HPA (traffic-spike's `kubectl patch hpa <deployment>` remediation needs one)
    const s = createSim({ ...shopInput(), kubeSystem: true, autoscalers: [{ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'frontend' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'frontend' }, minReplicas: 3, maxReplicas: 10 } }] });
    const names: Record<string, string> = {
      '<deployment>': 'frontend',
      '<container>': 'frontend',
      '<previous image>': 'shop/frontend:v1.4.1',
      '<fixed image>': 'shop/frontend:v1.4.3',
      '<node>': 'node-a',
      '<pod>': podsOf(s, 'frontend')[0]!.metadata.name,
      '<member>': 'etcd-1',
      '<n>': '6',
      '<revision>': '1000',
      '<name>': 'app-config',
    };
    for (const { kind, remediations } of incidentCatalog()) {
      for (const { command } of remediations) {
        const line = command.replace(/<[^>]+>/g, (p) => names[p] ?? p);
        expect(line, `${kind}: ${command}`).not.toMatch(/[<>]/);
        expect(runKubectl(s, line).kind, `${kind}: ${line}`).toBe('action');
      }
    }
  });
});
