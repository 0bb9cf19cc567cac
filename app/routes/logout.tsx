import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { writeAudit } from "~/models/audit-log.server";
import { assertAcceptableWrite, getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { endSession } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  assertAcceptableWrite(request);
  const user = await getUser(request);
  if (user) await writeAudit(db, { userId: user.id, action: "auth.sign_out", entityType: "user", entityId: user.id });
  return redirect("/login", { headers: { "Set-Cookie": await endSession(request) } });
}

export async function loader() {
  return redirect("/");
}
