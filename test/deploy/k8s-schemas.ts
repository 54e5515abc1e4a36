/**
 * Strict validation of rendered manifests against the Kubernetes API schemas, offline, like
 * `kubeconform -strict`.
 *
 * The schemas come from the npm package kubernetes-models (4.5.x: the OpenAPI schemas of
 * Kubernetes v1.33.0, which the package compiles into one Ajv validate function per definition)
 * and @kubernetes-models/prometheus-operator (the ServiceMonitor and PrometheusRule CRDs' schemas).
 * KEDA's ScaledObject has no package among the devDependencies: its schema is a JSON Schema derived
 * from KEDA's CRD (./schemas/keda.sh_v1alpha1_scaledobject.schema.json), closed at every level, so
 * Ajv alone refuses an unknown field there. Nothing is downloaded at test time. The 4.x line is the last one that runs on Node 20 (as CommonJS, inside
 * Jest); kubernetes-models 5 (Kubernetes v1.36) is ESM only and needs Node 22.
 *
 * Those validators check types (integer, string, boolean, objects, arrays), required fields,
 * enums (imagePullPolicy, protocol, pathType, restartPolicy, …), formats (int32, quantity,
 * int-or-string) and the CRD's patterns, but, like the OpenAPI schemas they come from, they
 * accept fields they don't know. So every document is validated through a Proxy that records
 * which fields the validator looked at: an object whose declared properties the validator read,
 * but which has a field it never read, has a field the schema doesn't declare (a typo such as
 * `securityContex`, or a field of another API version). Objects whose keys the validator
 * enumerates are maps (labels, annotations, resource lists, Secret data) and are checked by it
 * key by key. An object the validator didn't look into at all is free-form for the schema
 * (x-kubernetes-preserve-unknown-fields): it is reported in `unchecked`, so that a test can
 * require that there is none. And a null anywhere is an error: the schemas accept it, but
 * Kubernetes reads it as a field left out (`emptyDir: null` is a volume without a source).
 *
 * Only current API versions are registered, all served since Kubernetes 1.25 (the chart's
 * kubeVersion) or earlier: an API removed by then (policy/v1beta1, autoscaling/v2beta2,
 * batch/v1beta1, networking.k8s.io/v1beta1, …) or an unknown kind has no schema, which is an
 * error, as in kubeconform without -ignore-missing-schemas.
 */
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import Ajv, { ValidateFunction } from 'ajv';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Kubernetes version of kubernetes-models 4.5.x's schemas (its changelog: "v1.33.0"). */
export const SCHEMA_KUBERNETES_VERSION = '1.33.0';
/** The kubernetes-models release line SCHEMA_KUBERNETES_VERSION holds for. */
export const SCHEMA_PACKAGE_LINE = /^4\.5\./;

interface ModelClass {
  apiVersion?: string;
  kind?: string;
  prototype: { validate(): void };
}

const API_GROUPS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'policy/v1': policyV1,
  'autoscaling/v2': autoscalingV2,
  'networking.k8s.io/v1': networkingV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'monitoring.coreos.com/v1': monitoringV1,
};

/**
 * Kinds whose schema is a JSON Schema of ours, derived from their CRD: `<apiVersion> <kind>` ->
 * file in ./schemas. Each must be closed (additionalProperties on every object): see
 * openObjects.
 */
export const DERIVED_SCHEMAS: Record<string, string> = {
  'keda.sh/v1alpha1 ScaledObject': 'keda.sh_v1alpha1_scaledobject.schema.json',
};
const derivedValidators = new Map<string, ValidateFunction>();

export function derivedSchema(key: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'schemas', DERIVED_SCHEMAS[key]), 'utf8'));
}

function derivedValidator(apiVersion: unknown, kind: unknown): ValidateFunction | undefined {
  const key = `${String(apiVersion)} ${String(kind)}`;
  if (!Object.hasOwn(DERIVED_SCHEMAS, key)) return undefined;
  let validate = derivedValidators.get(key);
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(derivedSchema(key));
    derivedValidators.set(key, validate);
  }
  return validate;
}

/**
 * JSON pointers (in the schema) of object schemas that accept any field: none may be left open.
 * The subschemas of allOf, if and then apply to an object their parent schema already closes.
 */
export function openObjects(schema: unknown, path = '', applied = false): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => openObjects(s, `${path}/${i}`, applied));
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const open = !applied && node.properties !== undefined && node.additionalProperties === undefined;
  return [
    ...(open ? [path || '/'] : []),
    ...Object.entries(node).flatMap(([k, v]) =>
      k === 'properties' && typeof v === 'object' && v
        ? Object.entries(v).flatMap(([name, s]) => openObjects(s, `${path}/properties/${name}`))
        : openObjects(v, `${path}/${k}`, ['allOf', 'if', 'then', 'else'].includes(k)),
    ),
  ];
}

/** Nulls anywhere: the schemas accept them, but Kubernetes reads a null as a field left out. */
function nullsIn(value: unknown, path = ''): string[] {
  if (value === null) return [`${path || '/'}: null (Kubernetes reads it as a field left out)`];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => nullsIn(v, pointer(path, k)));
}

/** The model (with its schema) of a top-level kind, or undefined. */
function modelOf(apiVersion: unknown, kind: unknown): ModelClass | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const group = Object.hasOwn(API_GROUPS, apiVersion) ? API_GROUPS[apiVersion] : undefined;
  const model = group && Object.hasOwn(group, kind) ? (group[kind] as ModelClass) : undefined;
  // The group modules also export the nested definitions (DeploymentSpec, …): only a class with
  // this apiVersion and kind is a top-level kind.
  return model?.apiVersion === apiVersion && model.kind === kind ? model : undefined;
}

export interface SchemaReport {
  /** `<JSON pointer>: <message>` for every error the schema finds and every unknown field (`/`: the document). */
  errors: string[];
  /** JSON pointers of objects the schema doesn't describe (free-form: their fields are not checked). */
  unchecked: string[];
}

const pointer = (path: string, key: string) => `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

interface Visit {
  target: object;
  path: string;
  read: Set<PropertyKey>;
  enumerated: boolean;
}

/** Validates one manifest against the schema of its apiVersion and kind, strictly. */
export function validateManifest(manifest: unknown): SchemaReport {
  const { apiVersion, kind } = (manifest ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const derived = derivedValidator(apiVersion, kind);
  if (derived) {
    const errors = derived(manifest)
      ? []
      : derived.errors!.map((e) =>
          e.keyword === 'additionalProperties'
            ? `${pointer(e.instancePath, String(e.params.additionalProperty))}: unknown field (not in the schema)`
            : `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`,
        );
    return { errors: [...errors, ...nullsIn(manifest)], unchecked: [] };
  }
  const model = modelOf(apiVersion, kind);
  if (!model) {
    return {
      errors: [
        `/: no schema for apiVersion ${String(apiVersion)}, kind ${String(kind)} ` +
          `(not an API that Kubernetes >= 1.25 serves, or a kind without a registered schema)`,
      ],
      unchecked: [],
    };
  }

  const visits: Visit[] = [];
  const proxies = new WeakMap<object, object>();
  const track = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = proxies.get(value);
    if (known) return known;
    const visit: Visit = { target: value, path, read: new Set(), enumerated: false };
    visits.push(visit);
    const proxy = new Proxy(value, {
      get(target, key) {
        visit.read.add(key);
        const v = Reflect.get(target, key);
        return typeof key === 'string' && Object.hasOwn(target, key) ? track(v, pointer(path, key)) : v;
      },
      has(target, key) {
        visit.read.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        visit.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        visit.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const errors: string[] = [];
  try {
    // validate() checks `this` with the compiled schema and throws an Ajv ValidationError.
    model.prototype.validate.call(track(manifest, ''));
  } catch (err) {
    const list = (err as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> })
      .errors;
    if (!Array.isArray(list)) throw err;
    for (const e of list) {
      const allowed = (e.params as { allowedValues?: unknown } | undefined)?.allowedValues;
      errors.push(
        `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}${allowed ? ` ${JSON.stringify(allowed)}` : ''}`,
      );
    }
  }

  // The schemas accept null almost everywhere, but Kubernetes reads a null as a field left out:
  // `emptyDir: null` is a volume without a source, which the API server rejects.
  errors.push(...nullsIn(manifest));

  const unchecked: string[] = [];
  for (const visit of visits) {
    if (Array.isArray(visit.target) || visit.enumerated) continue; // lists, and maps checked key by key
    const keys = Object.keys(visit.target);
    if (visit.read.size === 0) {
      if (keys.length > 0) unchecked.push(visit.path);
      continue;
    }
    for (const key of keys) {
      if (!visit.read.has(key)) errors.push(`${pointer(visit.path, key)}: unknown field (not in the schema)`);
    }
  }
  return { errors, unchecked };
}

const label = (o: any) => `${String(o?.kind)}/${String(o?.metadata?.name)}`;

/**
 * Validates every manifest: `errors` as `<Kind>/<name>: <JSON pointer>: <message>`, `unchecked`
 * (free-form objects) as `<Kind>/<name>: <JSON pointer>`.
 */
export function validateManifests(manifests: unknown[]): SchemaReport {
  const errors: string[] = [];
  const unchecked: string[] = [];
  for (const m of manifests) {
    const report = validateManifest(m);
    errors.push(...report.errors.map((e) => `${label(m)}: ${e}`));
    unchecked.push(...report.unchecked.map((p) => `${label(m)}: ${p}`));
  }
  return { errors, unchecked };
}
