// The deployment manifests under docs/deploy/kubernetes, parsed.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const deployDocs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(new URL(`../../../../docs/deploy/kubernetes/${file}`, import.meta.url), 'utf8')).map((d) => d.toJS() as Obj);

export const find = (list: Obj[], kind: string): Obj => {
  const doc = list.find((d) => d.kind === kind);
  if (!doc) throw new Error(`no ${kind} in the manifests`);
  return doc;
};
