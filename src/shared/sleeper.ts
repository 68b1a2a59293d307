// A background loop's waits, shared by the Telegram and HTTP outboxes: a kick ends an idle wait early.

/** The loop's waits: a kick ends an idle wait (or, come during a batch, skips the next one); stopping ends any. */
export function createSleeper() {
  let wake: (() => void) | null = null;
  let woken = false;
  let stopped = false;
  return {
    /** Waits `ms`, or less when stopped (or kicked, if `wokenByKick`). */
    async sleep(ms: number, { wokenByKick }: { wokenByKick: boolean }) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          if (!wokenByKick && !stopped) return;
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    },
    kick() {
      woken = true;
      wake?.();
    },
    /** Whether a kick came since the last call (and forgets it). */
    takeKick(): boolean {
      const kicked = woken;
      woken = false;
      return kicked;
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
