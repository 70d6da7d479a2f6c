import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema file and committed; the CLI applies them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './migrations',
});
