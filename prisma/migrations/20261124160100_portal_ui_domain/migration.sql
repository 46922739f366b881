-- AlterTable
ALTER TABLE "portals" ADD COLUMN     "ui_domain" TEXT;
