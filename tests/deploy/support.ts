// Shared by the deployment checks: render the kustomize overlays with the real kubectl,
// validate objects against the Kubernetes API schemas, and describe what they contain.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const read = (path: string) => readFileSync(`${ROOT}/${path}`, "utf8");

// Loose view of a Kubernetes object: the checks read them as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** `kubectl kustomize DIR`, offline, parsed: what `kubectl apply -k DIR` would send. */
export function render(dir: string): Obj[] {
  const yaml = execFileSync("kubectl", ["kustomize", `${ROOT}/${dir}`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${dir}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null);
}

export const id = (o: Obj) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

/**
 * Schema errors of one object, from two libraries' views of the Kubernetes OpenAPI:
 * kubernetes-models' JSON schemas (types, required fields, formats such as quantities,
 * enums; validated with ajv), and @kubernetes/client-node's models, whose attribute maps
 * name every field a type has, so a misspelt or misplaced field (which `kubectl apply`
 * refuses under strict field validation) is reported too.
 */
export async function schemaErrors(o: Obj): Promise<string[]> {
  const errors: string[] = [];
  const [group, version] = String(o.apiVersion).includes("/") ? String(o.apiVersion).split("/") : ["", String(o.apiVersion)];
  const path = `kubernetes-models/${group ? `${group}/` : ""}${version}/${o.kind}`;
  let Model: (new (data: Obj) => { validate(): void }) | undefined;
  try {
    Model = ((await import(path)) as Record<string, new (data: Obj) => { validate(): void }>)[o.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return [`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new Model(o).validate();
  } catch (error) {
    errors.push(`${id(o)}: ${(error as Error).message}`);
  }
  const typeName = `${version!.charAt(0).toUpperCase()}${version!.slice(1)}${o.kind}`;
  errors.push(...unknownFields(o, typeName, id(o)));
  return errors;
}

type AttributeMap = { name: string; baseName: string; type: string }[];
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>;

function unknownFields(value: unknown, type: string, at: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value as Obj).flatMap(([k, v]) => unknownFields(v, map[1]!, `${at}.${k}`));
  const model = models[type];
  if (!model?.getAttributeTypeMap || typeof value !== "object" || Array.isArray(value)) return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value as Obj).flatMap(([key, v]) =>
    fields.has(key) ? unknownFields(v, fields.get(key)!, `${at}.${key}`) : [`${at}: unknown field "${key}" (not in ${type})`],
  );
}

/** Workloads with their pod templates. */
export function podTemplates(objects: Obj[]): { owner: Obj; labels: Obj; spec: Obj; annotations: Obj }[] {
  return objects
    .filter((o) => ["Deployment", "Job", "DaemonSet", "StatefulSet"].includes(o.kind))
    .map((o) => ({
      owner: o,
      labels: o.spec.template.metadata?.labels ?? {},
      annotations: o.spec.template.metadata?.annotations ?? {},
      spec: o.spec.template.spec,
    }));
}

export const matches = (selector: Obj | undefined, labels: Obj) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

export const byKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
export const named = (objects: Obj[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
