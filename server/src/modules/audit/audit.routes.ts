import { AuditPage, EmptyBody, AuditQuery, AuditVerifyResult } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { SiteService } from '../site/site.service.ts';
import type { AuditService } from './audit.service.ts';

export function auditRoutes(app: App, audit: AuditService, site: SiteService): void {
  const tags = ['audit'];
  app.get('/api/v1/audit', { schema: { tags, querystring: AuditQuery, response: { 200: AuditPage, ...errorResponses } } }, async (req) => {
    const { actor } = authOf(req);
    const page = await audit.list(req.query, await site.scopeOf(actor));
    // Reading the access log is itself an access: it names people and what they saw.
    await audit.append({ action: 'audit.viewed', actorId: actor.id, details: { filter: req.query } });
    return { ...page, limit: req.query.limit, offset: req.query.offset };
  });
  app.post('/api/v1/audit/verify', { schema: { tags, body: EmptyBody, response: { 200: AuditVerifyResult, ...errorResponses } } }, async (req) => {
    const result = await audit.verify();
    await audit.append({ action: 'audit.verified', actorId: authOf(req).actor.id, details: { ok: result.ok, firstBadSeq: result.firstBadSeq } });
    return result;
  });
}
