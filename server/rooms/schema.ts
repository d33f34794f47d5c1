/**
 * The room's Colyseus Schema (`room.state`), generated from the view definition in
 * shared/view/fields.ts with @colyseus/schema v5's `schema({...}, 'Name')` API: one class per view,
 * field for field, in the definition's order. Nothing here declares a field.
 *
 * Every scalar gets its `.default()` (without one it starts `undefined`: stack notes), except the
 * sparse fields of sparse views (`isSparse`), which stay undefined while they equal their default and
 * cost no bytes. Pod counts are a string (`Pending=1,Running=3`). `number`
 * fields are `t.number()` (integers as varints; fractions float32 within 1e-4); `float` fields are
 * `t.float64()`. Map fields declared `view` are `.view()`: their entries reach only the StateViews
 * holding them (server/rooms/views.ts).
 *
 * May import @colyseus/schema and shared/view/fields.ts only.
 */
import { schema, t, type ArraySchema, type MapSchema, type Schema } from '@colyseus/schema';
import {
  ALERT_VIEW,
  COMPONENT_VIEW,
  DEPLOYMENT_WIRE,
  NODE_WIRE,
  SERVICE_WIRE,
  ETCD_MEMBER_VIEW,
  EVENT_VIEW,
  INCIDENT_VIEW,
  PAGE_VIEW,
  DECLARED_VIEW,
  STATUS_UPDATE_VIEW,
  FOLLOW_UP_VIEW,
  MATCH_STATE_VIEW,
  PLAYER_VIEW,
  SCORE_ROW_VIEW,
  POD_VIEW,
  SLO_VIEW,
  TEAM_DETAIL_VIEW,
  TEAM_VIEW,
  type ArrayField,
  type CountsField,
  type Field,
  type MapField,
  type RefField,
  type ScalarField,
  type ScalarKind,
  type SummariesField,
  type ViewDef,
  isSparse,
} from '../../shared/view/fields.ts';

/** The Schema instance type of one field. */
export type SchemaValueOf<X> =
  X extends ScalarField<ScalarKind, infer V>
    ? V
    : X extends CountsField
      ? string
      : X extends MapField<infer D>
        ? MapSchema<SchemaOf<D>>
        : X extends ArrayField<infer D>
          ? ArraySchema<SchemaOf<D>>
          : X extends RefField<infer D>
            ? SchemaOf<D>
            : X extends SummariesField
              ? MapSchema<string>
              : never;
/** The Schema instance type generated for a view. */
export type SchemaOf<D> = D extends ViewDef<infer F>
  ? Schema & (D extends { sparse: true } ? { -readonly [K in keyof F]: SchemaValueOf<F[K]> | undefined } : { -readonly [K in keyof F]: SchemaValueOf<F[K]> })
  : never;
/** The generated class: `new X()` or `new X({ field: value })` (scalars only). */
export interface SchemaClass<D> {
  new (init?: Partial<SchemaOf<D>>): SchemaOf<D>;
  prototype: SchemaOf<D>;
}

const classes = new Map<ViewDef, unknown>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the builders' generic types are rebuilt by SchemaOf
function builderOf(def: ViewDef, field: Field): any {
  if (isSparse(def, field) && (field.kind === 'string' || field.kind === 'number' || field.kind === 'float' || field.kind === 'boolean')) return field.kind === 'string' ? t.string() : field.kind === 'boolean' ? t.boolean() : field.kind === 'float' ? t.float64() : t.number();
  switch (field.kind) {
    case 'string':
      return t.string().default(field.default as string);
    case 'number':
      return t.number().default(field.default as number);
    case 'float':
      return t.float64().default(field.default as number);
    case 'boolean':
      return t.boolean().default(field.default as boolean);
    case 'counts':
      return t.string().default('');
    case 'map': {
      const b = t.map(schemaFor(field.of) as unknown as new () => Schema);
      return field.view ? b.view() : b;
    }
    case 'array':
      return t.array(schemaFor(field.of) as unknown as new () => Schema);
    case 'ref':
      return t.ref(schemaFor(field.of) as unknown as new () => Schema);
    case 'summaries':
      return t.map('string');
  }
}

/** The Schema class of a view (built once per definition, named `def.name` on the wire). */
export function schemaFor<D extends ViewDef>(def: D): SchemaClass<D> {
  const known = classes.get(def);
  if (known) return known as SchemaClass<D>;
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, field] of Object.entries(def.fields)) fields[name] = builderOf(def, field);
  const cls = schema(fields as Parameters<typeof schema>[0], def.name) as unknown as SchemaClass<D>;
  classes.set(def, cls);
  return cls;
}

/** A Node's detail (the rest of `NODE_VIEW`), in `TeamDetailSchema.nodes`; its summary is the Pod-counts string in `TeamSchema.nodes` ({@link NODE_WIRE}). */
export const NodeDetailSchema = schemaFor(NODE_WIRE.detail);
export type NodeDetailSchema = SchemaOf<typeof NODE_WIRE.detail>;
/** A Pod ({@link POD_VIEW}). */
export const PodSchema = schemaFor(POD_VIEW);
export type PodSchema = SchemaOf<typeof POD_VIEW>;
/** A Deployment's detail (the rest of `DEPLOYMENT_VIEW`); summary: {@link DEPLOYMENT_WIRE}. */
export const DeploymentDetailSchema = schemaFor(DEPLOYMENT_WIRE.detail);
export type DeploymentDetailSchema = SchemaOf<typeof DEPLOYMENT_WIRE.detail>;
/** A Service's traffic and endpoints (the rest of `SERVICE_VIEW`); summary: {@link SERVICE_WIRE}. */
export const ServiceDetailSchema = schemaFor(SERVICE_WIRE.detail);
export type ServiceDetailSchema = SchemaOf<typeof SERVICE_WIRE.detail>;
/** One etcd member. */
export const EtcdMemberSchema = schemaFor(ETCD_MEMBER_VIEW);
export type EtcdMemberSchema = SchemaOf<typeof ETCD_MEMBER_VIEW>;
/** A control-plane component. */
export const ComponentSchema = schemaFor(COMPONENT_VIEW);
export type ComponentSchema = SchemaOf<typeof COMPONENT_VIEW>;
/** SLIs, targets, budgets, burn rate. */
export const SloSchema = schemaFor(SLO_VIEW);
export type SloSchema = SchemaOf<typeof SLO_VIEW>;
/** A firing burn-rate alert. */
export const AlertSchema = schemaFor(ALERT_VIEW);
export type AlertSchema = SchemaOf<typeof ALERT_VIEW>;
/** A Kubernetes Event row. */
export const EventSchema = schemaFor(EVENT_VIEW);
export type EventSchema = SchemaOf<typeof EVENT_VIEW>;
/** An active or mitigated incident. */
export const IncidentSchema = schemaFor(INCIDENT_VIEW);
export type IncidentSchema = SchemaOf<typeof INCIDENT_VIEW>;
/** A page of the team's pager ({@link PAGE_VIEW}). */
export const PageSchema = schemaFor(PAGE_VIEW);
export type PageSchema = SchemaOf<typeof PAGE_VIEW>;
/** An incident the team declared ({@link DECLARED_VIEW}). */
export const DeclaredSchema = schemaFor(DECLARED_VIEW);
export type DeclaredSchema = SchemaOf<typeof DECLARED_VIEW>;
/** A status update ({@link STATUS_UPDATE_VIEW}). */
export const StatusUpdateSchema = schemaFor(STATUS_UPDATE_VIEW);
export type StatusUpdateSchema = SchemaOf<typeof STATUS_UPDATE_VIEW>;

/** A follow-up filed by the planning role ({@link FOLLOW_UP_VIEW}). */
export const FollowUpSchema = schemaFor(FOLLOW_UP_VIEW);
export type FollowUpSchema = SchemaOf<typeof FOLLOW_UP_VIEW>;
/** One team's cluster without its Pods ({@link TEAM_VIEW}). */
export const TeamSchema = schemaFor(TEAM_VIEW);
export type TeamSchema = SchemaOf<typeof TEAM_VIEW>;
/** One team's Pods ({@link TEAM_DETAIL_VIEW}); each Pod visible only to StateViews holding it. */
export const TeamDetailSchema = schemaFor(TEAM_DETAIL_VIEW);
export type TeamDetailSchema = SchemaOf<typeof TEAM_DETAIL_VIEW>;
/** A player, keyed by Colyseus `sessionId`. */
export const ScoreRowSchema = schemaFor(SCORE_ROW_VIEW);
export type ScoreRowSchema = SchemaOf<typeof SCORE_ROW_VIEW>;

export const PlayerSchema = schemaFor(PLAYER_VIEW);
export type PlayerSchema = SchemaOf<typeof PLAYER_VIEW>;
/** The root state ({@link MATCH_STATE_VIEW}). */
export const MatchStateSchema = schemaFor(MATCH_STATE_VIEW);
export type MatchStateSchema = SchemaOf<typeof MATCH_STATE_VIEW>;
