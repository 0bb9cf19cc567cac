import { Link } from "@remix-run/react";
import { formatNumber } from "~/i18n/format";
import type { PlanTreeNode } from "~/presenters/plan-tree.server";
import { useI18n } from "~/utils/i18n-hooks";

export function PlanTree({ nodes, areaNames }: { nodes: PlanTreeNode[]; areaNames: Record<string, string> }) {
  return (
    <ul className="plan-tree" role="tree">
      {nodes.map((node) => (
        <PlanTreeItem key={node.code} node={node} areaNames={areaNames} />
      ))}
    </ul>
  );
}

function PlanTreeItem({ node, areaNames }: { node: PlanTreeNode; areaNames: Record<string, string> }) {
  const { t, locale } = useI18n();
  return (
    <li role="treeitem" aria-expanded={node.children.length ? true : undefined} data-code={node.code}>
      <div className={`plan-node kind-${node.kind}`}>
        <Link to={`/plan/${node.code}`} className="plan-link">
          <span className="code">{node.code}</span>
          <span className="title-zh" lang="zh-CN">
            {node.title_zh}
          </span>
          <span className="title-en" lang="en">
            {node.title_en}
            {/* explained once, above the tree */}
            {!node.title_en_official ? (
              <span className="unofficial" title={t("plan.unofficial")}>
                *
              </span>
            ) : null}
          </span>
        </Link>
        {node.areas.map((code) => (
          <Link key={code} to={`/areas/${code}`} className="tag">
            {areaNames[code]}
          </Link>
        ))}
        <Link
          to={`/activities?item=${encodeURIComponent(node.code)}`}
          className="count"
          title={t("plan.count_title")}
          data-count={node.count}
        >
          {t("plan.count", { count: formatNumber(node.count, locale) })}
        </Link>
      </div>
      {node.children.length ? (
        <ul role="group">
          {node.children.map((child) => (
            <PlanTreeItem key={child.code} node={child} areaNames={areaNames} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
