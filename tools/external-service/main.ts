/** `npm run external-service`: the reference service on 127.0.0.1 (settings from EXTERNAL_SERVICE_* variables, see config.ts). */
import { ToolError } from '../core/ToolError.ts';
import { exitWithParent } from '../core/background.ts';
import { readServiceConfig } from './config.ts';
import { startExternalService } from './server.ts';

try {
  const config = readServiceConfig();
  const service = await startExternalService(config, (line) => process.stderr.write(`${JSON.stringify(line)}\n`));
  process.stdout.write(
    `external-service listening on ${service.url} (iss ${config.issuer}, aud ${config.audience}, trusts ${service.verifier.trust})\n`,
  );
  const stop = () => {
    setTimeout(() => process.exit(1), 3000).unref(); // a close that hangs must not keep the process
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  exitWithParent(stop);
} catch (e) {
  const err =
    e instanceof ToolError
      ? e
      : new ToolError((e as Error).message, 'ExternalServiceFailed', ['Check the EXTERNAL_SERVICE_* settings and that the port is free.']);
  process.stderr.write(`Error (${err.name}): ${err.message}\n${err.actions.map((a) => `Try this: ${a}`).join('\n')}\n`);
  process.exit(1);
}
