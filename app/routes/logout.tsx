import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertAcceptableWrite } from "~/utils/auth.server";
import { endSession } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  assertAcceptableWrite(request);
  return redirect("/login", { headers: { "Set-Cookie": await endSession(request) } });
}

export async function loader() {
  return redirect("/");
}
