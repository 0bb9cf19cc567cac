import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { FocusManager } from "~/components/FocusManager";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { SiteHeader } from "~/components/SiteHeader";
import styles from "~/styles/app.css";
import { todayInChina } from "~/presenters/monitoring.server";
import { inboxCount } from "~/services/inbox.server";
import { getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
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
        <SiteHeader user={user} inboxCount={data?.inboxCount ?? 0} here={here} />
        <main id="main">{children}</main>
        <FocusManager />
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
