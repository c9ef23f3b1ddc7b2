/** Wires config → database → queue → transports → HTTP, and stops it all on SIGTERM/SIGINT. Nothing else. */
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startGateway } from './gateway.ts';
import { defaultHandlers } from './pipeline/handlers.ts';
import { defaultComponents } from './components.ts';

const log = createLogger();
try {
  const config = loadConfig();
  const gateway = await startGateway({ config, log, handlers: defaultHandlers(), components: defaultComponents() });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'signal received');
    gateway.stop().then(() => process.exit(0), (err: unknown) => {
      log.error({ err: { message: (err as Error).message } }, 'stop failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  log.fatal({ code: (err as { code?: string }).code }, (err as Error).message);
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
