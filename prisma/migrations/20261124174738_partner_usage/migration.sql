-- CreateTable
CREATE TABLE "partner_usage" (
    "portal_id" BIGINT NOT NULL,
    "active_registrations" INTEGER NOT NULL,
    "counted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "partner_usage_pkey" PRIMARY KEY ("portal_id")
);
