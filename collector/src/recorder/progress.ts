// A progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise (logs, CI).
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr, width = 30): Progress {
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  const render = (done: number, total: number) => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total}`;
  };
  return {
    update(done, total) {
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        out.write(`\r${render(done, total)}`);
        drawn = true;
      } else {
        const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (decile === lastDecile) return;
        lastDecile = decile;
        out.write(`${render(done, total)}\n`);
      }
    },
    finish() {
      if (drawn) out.write('\n');
    },
  };
}
