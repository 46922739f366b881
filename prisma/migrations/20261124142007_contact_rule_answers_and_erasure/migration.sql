-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "creation_answered_at" TIMESTAMPTZ(3),
ADD COLUMN     "personal_data_erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "trigger_answered_at" TIMESTAMPTZ(3),
ADD COLUMN     "trigger_false_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "registrations" ADD COLUMN     "contact_erased_at" TIMESTAMPTZ(3);
