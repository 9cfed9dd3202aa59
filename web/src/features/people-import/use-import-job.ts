import type { ImportJob } from '@kuzet/contracts';
import { useEffect, useState } from 'react';
import { importApi, running } from './import-api.ts';

/** How often the page asks for a running preview's progress. */
const POLL_MS = 700;

/** The current import job, polled while it runs. */
export function useImportJob(complexId: string | null) {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!complexId || !job || !running(job)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      importApi.job(complexId, job.id, controller.signal).then(setJob, (e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      });
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [complexId, job]);
  return { job, setJob, error, setError };
}
