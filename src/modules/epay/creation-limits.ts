// How often orders may be created through the EPay API: per client address (checked first, so a flood of
// bad signatures is cut off too) and per pid (counted once the signature holds, so a stranger cannot spend a
// shop's allowance). In memory, per process.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface CreationLimits {
  perIpPerMinute: number;
  perPidPerMinute: number;
}

/** A shop server's mapi.php calls all come from one address: the per-address allowance fits a busy shop. */
export const DEFAULT_CREATION_LIMITS: CreationLimits = { perIpPerMinute: 120, perPidPerMinute: 600 };

export function createCreationLimiter(limits: CreationLimits) {
  const perIp = new RateLimiterMemory({ keyPrefix: 'epay-ip', points: limits.perIpPerMinute, duration: 60 });
  const perPid = new RateLimiterMemory({
    keyPrefix: 'epay-pid',
    points: limits.perPidPerMinute,
    duration: 60,
  });
  const take = async (limiter: RateLimiterMemory, key: string): Promise<boolean> => {
    try {
      await limiter.consume(key);
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    }
  };
  return {
    /** False: the address has used up its allowance this minute. */
    allowAddress: (address: string) => take(perIp, address),
    allowPid: (pid: string) => take(perPid, pid),
  };
}

export type CreationLimiter = ReturnType<typeof createCreationLimiter>;
