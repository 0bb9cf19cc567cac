// The header of every page: the app's name, the navigation of the user's role (utils/navigation), the language
// switch and the account. On a phone the navigation and the account fold into one 菜单 (a <details>, so it opens
// without JavaScript); on a wide screen the pages a role uses less sit under 更多.
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { localName } from "~/i18n";
import { loadPageCatalog } from "~/i18n/load";
import { useI18n } from "~/utils/i18n-hooks";
import { type NavItem, navigationFor } from "~/utils/navigation";

export interface HeaderUser {
  displayName: string;
  role: string;
  organization_path: string;
  organizationNameZh: string;
  organizationNameEn: string;
}

export function SiteHeader({ user, inboxCount, here }: { user: HeaderUser | null | undefined; inboxCount: number; here: string }) {
  const { t, locale } = useI18n();
  const items = user ? navigationFor(user) : [];
  const { pathname } = useLocation();
  const moreMenu = useRef<HTMLDetailsElement>(null);
  const phoneMenu = useRef<HTMLDetailsElement>(null);
  // a menu opened to go somewhere closes once the page has changed
  useEffect(() => {
    if (moreMenu.current) moreMenu.current.open = false;
    if (phoneMenu.current) phoneMenu.current.open = false;
  }, [pathname]);
  const link = (item: NavItem) => (
    <NavLink key={item.to} to={item.to} end={item.end}>
      {t(item.label)}
    </NavLink>
  );
  const inbox = (
    <NavLink to="/inbox">
      {t("nav.inbox")}
      {inboxCount ? (
        <span className="inbox-badge" title={t("inbox.badge", { count: inboxCount })}>
          {inboxCount}
        </span>
      ) : null}
    </NavLink>
  );
  const localeSwitch = (
    <Form method="post" action="/locale" className="inline">
      <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
      <input type="hidden" name="redirectTo" value={here} />
      {/* the other language's catalog is fetched as the pointer or focus reaches the switch, so it is ready when
          the page comes back in that language */}
      <button
        type="submit"
        className="link-button"
        lang={locale === "en" ? "zh-CN" : "en"}
        onPointerEnter={() => void loadPageCatalog(locale === "en" ? "zh-CN" : "en")}
        onFocus={() => void loadPageCatalog(locale === "en" ? "zh-CN" : "en")}
      >
        {t("locale.switch_to")}
      </button>
    </Form>
  );
  const account = user ? (
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
  ) : null;
  const more = items.filter((item) => !item.primary);
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        <span className="brand-full">{t("app.title")}</span>
        <span className="brand-short">{t("app.short")}</span>
      </Link>
      {user ? (
        <nav aria-label={t("nav.main")} className="nav-wide">
          {items.filter((item) => item.primary).map(link)}
          {inbox}
          {more.length ? (
            <details className="nav-more" ref={moreMenu}>
              <summary className={more.some((item) => pathname.startsWith(item.to)) ? "active" : undefined}>{t("nav.more")}</summary>
              <div className="nav-more-list">{more.map(link)}</div>
            </details>
          ) : null}
        </nav>
      ) : null}
      {user ? (
        <details className="nav-phone" ref={phoneMenu}>
          <summary>
            {t("nav.menu")}
            {inboxCount ? <span className="inbox-badge">{inboxCount}</span> : null}
          </summary>
          <nav aria-label={t("nav.main")} className="nav-phone-list">
            {inbox}
            {items.map(link)}
            <div className="nav-phone-account">{account}</div>
          </nav>
        </details>
      ) : null}
      <div className="topbar-right">
        {localeSwitch}
        <span className="topbar-account">{account}</span>
      </div>
    </header>
  );
}
