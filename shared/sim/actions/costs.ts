/**
 * What each player action costs in the score (`state.scoring.actionCost`, points subtracted by
 * shared/sim/score.ts): cheap, targeted fixes cost little, disruptive ones more. One table, one place.
 *
 * | action            | cost | why |
 * |-------------------|------|-----|
 * | deletePod         | 1    | one pod, replaced by its ReplicaSet |
 * | cordonNode        | 1    | stops new placements only |
 * | uncordonNode      | 1    | |
 * | scaleDeployment   | 2    | an API write; capacity follows |
 * | setImage          | 2    | starts a rollout |
 * | setResources      | 2    | starts a rollout |
 * | rolloutRestart    | 2    | replaces every pod |
 * | rolloutUndo       | 3    | a rollback: the standard fix, but a full rollout |
 * | drainNode         | 5    | evicts every pod of a node |
 * | restoreEtcdMember | 5    | a snapshot restore of a control-plane member |
 */
import type { SimAction } from '../types.ts';

/** Score cost per accepted action, by action type. */
export const ACTION_COSTS: Readonly<Record<SimAction['type'], number>> = {
  deletePod: 1,
  cordonNode: 1,
  uncordonNode: 1,
  scaleDeployment: 2,
  setImage: 2,
  setResources: 2,
  rolloutRestart: 2,
  rolloutUndo: 3,
  drainNode: 5,
  restoreEtcdMember: 5,
};
