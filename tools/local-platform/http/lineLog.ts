/**
 * The platform's log, which must never take the server down: when a line cannot be written (a full
 * disk: ENOSPC) it is dropped and counted, and the next line that can be written says how many were
 * lost. The server goes on answering either way.
 */
export function lineLog(write: (text: string) => void, now: () => Date = () => new Date()): (line: string) => void {
  let dropped = 0;
  return (line: string) => {
    const stamp = now().toISOString();
    try {
      if (dropped) {
        write(`${stamp} ${dropped} log line(s) dropped: the log could not be written (disk full?)\n`);
        dropped = 0;
      }
      write(`${stamp} ${line}\n`);
    } catch {
      dropped++;
    }
  };
}

/** A caller's log function that may throw, made safe (a failing log never fails a request). */
export function safeLog(log: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      log(line);
    } catch {
      /* the log is best effort: the request it describes has been answered */
    }
  };
}
