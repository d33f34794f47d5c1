/**
 * The compact field description the OpenAPI documents are generated from now lives in
 * shared/kubectl/openapiFields.ts (pure data), so the players' console's `kubectl explain` reads the same
 * descriptions as the API's `/openapi/v3` (real kubectl's explain). Re-exported here for ./openapi.ts.
 *
 * May import: shared/kubectl/openapiFields.ts.
 */
export * from '../../shared/kubectl/openapiFields.ts';
