/** The Metadata and Apex modules, wired in statically behind the interfaces of contracts.ts. */
import type { Neighbours } from './contracts.ts';
import * as metadataModule from '../metadata/index.ts';
import * as apexModule from '../apex/index.ts';

/** The modules are imported statically so "go to definition" and the import check see them; the
 * interfaces of contracts.ts stay the seam that oauth, access, devhub and Apex hosting depend on. */
const neighbours: Neighbours = { metadata: metadataModule, apex: apexModule, problems: [] };
export function loadNeighbours(): Promise<Neighbours> {
  return Promise.resolve(neighbours);
}
