-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ExtensionOwner" AS ENUM ('SERVICE', 'STATE', 'TASK', 'CUSTOMER');

-- CreateEnum
CREATE TYPE "ExtensionAttributeType" AS ENUM ('STRING', 'INTEGER', 'LONG', 'DOUBLE', 'DATE', 'DATETIME', 'CURRENCY', 'BOOLEAN');

-- CreateTable
CREATE TABLE "customer" (
    "customer_id" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "extensions" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "service" (
    "service_id" BIGSERIAL NOT NULL,
    "customer_id" TEXT,
    "contact_key" TEXT,
    "service_type_id" INTEGER,
    "service_type_name" TEXT,
    "est_duration" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "started" JSONB NOT NULL DEFAULT '{}',
    "completed_at" TIMESTAMPTZ(3),
    "completed" JSONB,
    "disposition" JSONB,
    "disposition_desc" TEXT,
    "extensions" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "service_pkey" PRIMARY KEY ("service_id")
);

-- CreateTable
CREATE TABLE "state" (
    "state_id" BIGSERIAL NOT NULL,
    "service_id" BIGINT NOT NULL,
    "state_type_id" INTEGER,
    "state_type_name" TEXT,
    "previous_state_id" BIGINT,
    "est_duration" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "started" JSONB NOT NULL DEFAULT '{}',
    "completed_at" TIMESTAMPTZ(3),
    "completed" JSONB,
    "disposition" JSONB,
    "disposition_desc" TEXT,
    "extensions" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "state_pkey" PRIMARY KEY ("state_id")
);

-- CreateTable
CREATE TABLE "task" (
    "task_id" BIGSERIAL NOT NULL,
    "service_id" BIGINT NOT NULL,
    "state_id" BIGINT,
    "task_type_id" INTEGER,
    "task_type_name" TEXT,
    "est_duration" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "started" JSONB NOT NULL DEFAULT '{}',
    "completed_at" TIMESTAMPTZ(3),
    "completed" JSONB,
    "disposition" JSONB,
    "disposition_desc" TEXT,
    "extensions" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "task_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "extension_schema" (
    "id" SERIAL NOT NULL,
    "owner" "ExtensionOwner" NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "multi_valued" BOOLEAN NOT NULL,
    "unique" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "extension_schema_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_attribute" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "business_attribute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_attribute_value" (
    "attribute_id" INTEGER NOT NULL,
    "value_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT,

    CONSTRAINT "business_attribute_value_pkey" PRIMARY KEY ("attribute_id","value_id")
);

-- CreateTable
CREATE TABLE "business_attribute_field" (
    "field" TEXT NOT NULL,
    "attribute_id" INTEGER NOT NULL,

    CONSTRAINT "business_attribute_field_pkey" PRIMARY KEY ("field")
);

-- CreateTable
CREATE TABLE "identification_key" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "attributes" TEXT[],
    "unique" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identification_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "service_customer_id_started_at_service_id_idx" ON "service"("customer_id", "started_at", "service_id");

-- CreateIndex
CREATE INDEX "service_contact_key_started_at_service_id_idx" ON "service"("contact_key", "started_at", "service_id");

-- CreateIndex
CREATE INDEX "state_service_id_started_at_state_id_idx" ON "state"("service_id", "started_at", "state_id");

-- CreateIndex
CREATE INDEX "task_service_id_started_at_task_id_idx" ON "task"("service_id", "started_at", "task_id");

-- CreateIndex
CREATE INDEX "task_state_id_started_at_task_id_idx" ON "task"("state_id", "started_at", "task_id");

-- CreateIndex
CREATE UNIQUE INDEX "extension_schema_owner_name_key_key" ON "extension_schema"("owner", "name_key");

-- CreateIndex
CREATE UNIQUE INDEX "business_attribute_name_key" ON "business_attribute"("name");

-- CreateIndex
CREATE UNIQUE INDEX "business_attribute_value_attribute_id_name_key" ON "business_attribute_value"("attribute_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "identification_key_name_key" ON "identification_key"("name");

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("customer_id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "state" ADD CONSTRAINT "state_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("service_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("service_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_state_id_fkey" FOREIGN KEY ("state_id") REFERENCES "state"("state_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "business_attribute_value" ADD CONSTRAINT "business_attribute_value_attribute_id_fkey" FOREIGN KEY ("attribute_id") REFERENCES "business_attribute"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "business_attribute_field" ADD CONSTRAINT "business_attribute_field_attribute_id_fkey" FOREIGN KEY ("attribute_id") REFERENCES "business_attribute"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (not expressible in schema.prisma): agent desktops ask for active items far more
-- often than for history, and anonymous lookups want only services with no customer.
CREATE INDEX "service_customer_active_idx" ON "service"("customer_id", "started_at", "service_id") WHERE "completed_at" IS NULL;
CREATE INDEX "service_anonymous_contact_key_idx" ON "service"("contact_key", "started_at", "service_id") WHERE "customer_id" IS NULL;
CREATE INDEX "state_service_active_idx" ON "state"("service_id", "started_at", "state_id") WHERE "completed_at" IS NULL;
CREATE INDEX "task_state_active_idx" ON "task"("state_id", "started_at", "task_id") WHERE "completed_at" IS NULL;
