-- When each domain was last released (its latest deregistration): serving a waitlist skips a
-- partner without room once per release, and compares the skip's time with this.
CREATE INDEX "registrations_released_domain_idx" ON "registrations"("domain", "deregistered_at") WHERE (status = 'deregistered');
