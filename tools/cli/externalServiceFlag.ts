/**
 * `--external-service [URL]`: a flag whose value is optional, which node:util parseArgs cannot express;
 * a bare flag (last, or followed by another flag) means "start the local service".
 */
export const EXTERNAL_SERVICE_FLAG = '--external-service';

export function withExternalServiceDefault(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    out.push(arg);
    const next = argv[i + 1];
    if (arg === EXTERNAL_SERVICE_FLAG && (next === undefined || next.startsWith('--'))) out.push('local');
  });
  return out;
}
