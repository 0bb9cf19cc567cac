import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale } from "~/i18n";
import { writeAudit } from "~/models/audit-log.server";
import { setUserLocale } from "~/models/user.server";
import { assertAcceptableWrite, badRequest, getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { safeRedirect } from "~/utils/safe-redirect";

export async function action({ request }: ActionFunctionArgs) {
  assertAcceptableWrite(request);
  const form = await request.formData();
  const locale = form.get("locale");
  if (!isLocale(locale)) throw badRequest();
  const user = await getUser(request);
  if (user && user.locale !== locale) {
    await db.transaction().execute(async (trx) => {
      await setUserLocale(trx, user.id, locale);
      await writeAudit(trx, { userId: user.id, action: "user.locale", entityType: "user", entityId: user.id, changes: { locale: [user.locale, locale] } });
    });
  }
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}

export async function loader() {
  return redirect("/");
}
