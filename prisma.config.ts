import { defineConfig } from 'prisma/config';

// No datasource URL here: the gateway builds its own connection (embedded or DATABASE_URL) and
// applies migrations itself, so the CLI only ever needs the schema to generate the client.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
