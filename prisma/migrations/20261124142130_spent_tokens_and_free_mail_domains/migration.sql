-- CreateEnum
CREATE TYPE "spent_token_kind" AS ENUM ('signed_out_session', 'used_card_link');

-- CreateEnum
CREATE TYPE "program_audit_action" AS ENUM ('free_mail_domain_allowed', 'free_mail_domain_disallowed');

-- CreateTable
CREATE TABLE "spent_tokens" (
    "kind" "spent_token_kind" NOT NULL,
    "token_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "spent_tokens_pkey" PRIMARY KEY ("kind","token_id")
);

-- CreateTable
CREATE TABLE "allowed_free_mail_domains" (
    "domain" TEXT NOT NULL,
    "allowed_by" TEXT NOT NULL,
    "allowed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "allowed_free_mail_domains_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "program_audit_events" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "program_audit_action" NOT NULL,
    "actor" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "program_audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "spent_tokens_expires_at_idx" ON "spent_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "program_audit_events_occurred_at_idx" ON "program_audit_events"("occurred_at");
