// Every workload `npm run bench` knows, in the order it runs them. A new workload is a file in
// this folder and one line here; servers that cannot answer it are skipped for it.
import { r1, r1Graphql, r2, r2Graphql } from './rest.js';
import { w1, w1Wide } from './w1.js';
import { w2 } from './w2.js';
import { w3 } from './w3.js';
import type { WorkloadDeclaration } from './workload.js';

export const WORKLOADS: WorkloadDeclaration[] = [w1, w1Wide, w2, w3, r1, r1Graphql, r2, r2Graphql];
