import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { localName } from "~/i18n";
import styles from "~/styles/app.css";
import { todayInChina } from "~/presenters/monitoring.server";
import { inboxCount } from "~/services/inbox.server";
import { getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { useI18n } from "~/utils/i18n-hooks";
import { useNonce } from "~/utils/nonce";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const locale = await getLocale(request, user);
  return json({
    locale,
    inboxCount: user ? await inboxCount(db, user, todayInChina()) : 0,
    user: user && {
      id: user.id,
      displayName: user.display_name,
      role: user.role,
      organization_path: user.organization_path,
      organizationNameZh: user.organization_name_zh,
      organizationNameEn: user.organization_name_en,
    },
  });
}

export type RootData = Awaited<ReturnType<typeof loader>> extends { json(): Promise<infer D> } ? D : never;

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const { t, locale } = useI18n();
  const location = useLocation();
  const here = location.pathname + location.search;
  const user = data?.user;
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip" href="#main">
          {t("nav.skip")}
        </a>
        <header className="topbar">
          <Link to="/" className="brand">
            {t("app.title")}
          </Link>
          {user ? (
            <nav aria-label="main">
              <NavLink to="/plan">{t("nav.plan")}</NavLink>
              <NavLink to="/dashboard">{t("dashboard.nav")}</NavLink>
              <NavLink to="/activities" end>
                {t("nav.activities")}
              </NavLink>
              {can(user, "activity.create") ? <NavLink to="/activities/new">{t("nav.new_activity")}</NavLink> : null}
              {can(user, "activity.import") ? <NavLink to="/imports">{t("nav.imports")}</NavLink> : null}
              <NavLink to="/counterparts">{t("nav.counterparts")}</NavLink>
              <NavLink to="/sister-cities">{t("nav.sister_cities")}</NavLink>
              <NavLink to="/reports">{t("nav.reports")}</NavLink>
              <NavLink to="/indicators">{t("nav.indicators")}</NavLink>
              <NavLink to="/evaluation">{t("nav.evaluation")}</NavLink>
              <NavLink to="/drafts">{t("drafts.nav")}</NavLink>
              <NavLink to="/monitoring">{t("nav.monitoring")}</NavLink>
              <NavLink to="/trash">{t("nav.trash")}</NavLink>
              {can(user, "period.manage") ? <NavLink to="/admin/periods">{t("nav.periods")}</NavLink> : null}
              {can(user, "user.manage") ? <NavLink to="/admin/users">{t("security.users.nav")}</NavLink> : null}
              <NavLink to="/inbox">
                {t("nav.inbox")}
                {data?.inboxCount ? (
                  <span className="inbox-badge" title={t("inbox.badge", { count: data.inboxCount })}>
                    {data.inboxCount}
                  </span>
                ) : null}
              </NavLink>
            </nav>
          ) : null}
          <div className="topbar-right">
            <Form method="post" action="/locale" className="inline">
              <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
              <input type="hidden" name="redirectTo" value={here} />
              <button type="submit" className="link-button" lang={locale === "en" ? "zh-CN" : "en"}>
                {t("locale.switch_to")}
              </button>
            </Form>
            {user ? (
              <>
                <span className="who" title={user.displayName}>
                  {localName(locale, user.organizationNameZh, user.organizationNameEn)} · {t(`role.${user.role}`)}
                </span>
                <Link to="/account/password" className="link-button">
                  {t("security.password.nav")}
                </Link>
                <Form method="post" action="/logout" className="inline">
                  <button type="submit" className="link-button">
                    {t("nav.sign_out")}
                  </button>
                </Form>
              </>
            ) : null}
          </div>
        </header>
        <main id="main">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
