/**
 * Progress for humans: a spinner and per-step times on a terminal, plain lines otherwise, silence
 * under `--json` (the one result object is printed at the end).
 */
export interface Progress {
  start(title: string): void;
  succeed(title: string, ms: number, detail?: string): void;
  skip(title: string, detail: string): void;
  fail(title: string, ms: number): void;
  info(line: string): void;
  warn(line: string): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(mode: 'tty' | 'plain' | 'silent', out: NodeJS.WriteStream = process.stderr): Progress {
  if (mode === 'silent') {
    const noop = () => undefined;
    return { start: noop, succeed: noop, skip: noop, fail: noop, info: noop, warn: noop };
  }
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<string>();
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (mode === 'tty') out.write('\r\x1b[2K');
  };
  const spin = () => {
    if (mode !== 'tty' || running.size === 0) return;
    let i = 0;
    timer = setInterval(() => {
      out.write(`\r\x1b[2K${frames[i++ % frames.length]} ${[...running].join(', ')}`);
    }, 80);
  };
  const line = (text: string) => {
    clear();
    out.write(`${text}\n`);
    spin();
  };
  return {
    start(title) {
      running.add(title);
      if (mode === 'plain') out.write(`… ${title}\n`);
      else {
        clear();
        spin();
      }
    },
    succeed(title, ms, detail) {
      running.delete(title);
      line(`✔ ${title} (${formatMs(ms)})${detail ? `: ${detail}` : ''}`);
    },
    skip(title, detail) {
      line(`• ${title}: ${detail}`);
    },
    fail(title, ms) {
      running.delete(title);
      line(`✖ ${title} (${formatMs(ms)})`);
    },
    info(text) {
      line(text);
    },
    warn(text) {
      line(`Warning: ${text}`);
    },
  };
}
