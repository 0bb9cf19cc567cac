// `npm run user:create-admin [-- --username NAME] [--name 显示名] [--unit CODE] [--reset]`: the first administrator
// of a deployment, with a one-time password printed here once and replaced at the first sign-in. A deployment has
// no demo users (seeds/seed.ts `wantsDemo`), so this is how anyone gets in. `--reset` gives an existing
// administrator a new one-time password (and enables the account, ending its sessions): the way back in when the
// only administrator has lost theirs. Runs against DATABASE_URL (PostgreSQL) or else DATABASE_PATH (SQLite).
import { parseArgs } from "node:util";
import { createOrResetAdministrator } from "~/services/account-security.server";
import { db } from "~/utils/db.server";

const { values } = parseArgs({
  options: {
    username: { type: "string", default: "admin" },
    name: { type: "string", default: "系统管理员" },
    unit: { type: "string", default: "lmc-cn-secretariat" },
    reset: { type: "boolean", default: false },
  },
});

const result = await createOrResetAdministrator(db, {
  username: values.username!,
  displayName: values.name!,
  unitCode: values.unit!,
  reset: values.reset!,
});
await db.destroy();

switch (result.status) {
  case "created":
  case "reset":
    console.log(`${result.status === "created" ? "created administrator" : "new one-time password for"} ${values.username}`);
    console.log(`one-time password: ${result.password}`);
    console.log("sign in with it and choose a new password at once; it is shown only here.");
    break;
  case "exists":
    console.error(`user ${values.username} exists already; to give it a new one-time password add --reset`);
    process.exitCode = 1;
    break;
  case "not_admin":
    console.error(`user ${values.username} exists and is not an administrator; choose another --username`);
    process.exitCode = 1;
    break;
  case "unknown_unit":
    console.error(`no unit with code ${values.unit}; run npm run db:seed first, or name the unit with --unit`);
    process.exitCode = 1;
    break;
}
