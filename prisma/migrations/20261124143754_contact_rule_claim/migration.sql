-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "rule_claimed_at" TIMESTAMPTZ(3);
