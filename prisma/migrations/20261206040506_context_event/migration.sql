-- CreateEnum
CREATE TYPE "ContextEventType" AS ENUM ('SERVICE_STARTED', 'SERVICE_ASSOCIATED', 'SERVICE_COMPLETED', 'STATE_STARTED', 'STATE_COMPLETED', 'TASK_STARTED', 'TASK_COMPLETED', 'EXTENSION_CHANGED', 'CUSTOMER_CHANGED');

-- CreateTable
CREATE TABLE "context_event" (
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "event_id" BIGSERIAL NOT NULL,
    "type" "ContextEventType" NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
    "customer_id" TEXT,
    "contact_key" TEXT,
    "service_id" BIGINT,
    "state_id" BIGINT,
    "task_id" BIGINT,
    "extension_owner" "ExtensionOwner",
    "extension_name" TEXT,
    "previous_customer_id" TEXT,

    CONSTRAINT "context_event_pkey" PRIMARY KEY ("xid","event_id")
);

-- CreateTable
CREATE TABLE "context_event_pruned" (
    "single" BOOLEAN NOT NULL DEFAULT true,
    "xid" xid8 NOT NULL,
    "event_id" BIGINT NOT NULL,

    CONSTRAINT "context_event_pruned_pkey" PRIMARY KEY ("single")
);

-- CreateIndex
CREATE INDEX "context_event_customer_id_xid_event_id_idx" ON "context_event"("customer_id", "xid", "event_id");

-- CreateIndex
CREATE INDEX "context_event_service_id_xid_event_id_idx" ON "context_event"("service_id", "xid", "event_id");

-- Hand-written (not expressible in schema.prisma).
-- Replay of a contact key's stream and of the stream of the customer a service left: most events
-- have neither, so only the rows that do are indexed.
CREATE INDEX "context_event_contact_key_idx" ON "context_event"("contact_key", "xid", "event_id") WHERE "contact_key" IS NOT NULL;
CREATE INDEX "context_event_previous_customer_idx" ON "context_event"("previous_customer_id", "xid", "event_id") WHERE "previous_customer_id" IS NOT NULL;
ALTER TABLE "context_event_pruned" ADD CONSTRAINT "context_event_pruned_single" CHECK ("single");
