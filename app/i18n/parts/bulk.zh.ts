// 简体中文 strings of the bulk review (several reports approved at once, planned activities closed at once) and of
// fast activity entry (the plan-item picker, country chips, save and log another); keys start with "bulk." or "entry.".
export const bulkZh = {
  "bulk.approve.title": "批量审核通过",
  "bulk.approve.hint": "本页有 {count} 份已报送待审核的报告：勾选格子后点“批量通过”，确认一次即可全部通过。",
  "bulk.approve.open": "批量通过所选报告…",
  "bulk.approve.select": "选择 {unit} {period} 的报告",
  "bulk.approve.intro": "以下 {count} 份报告将逐份审核通过，与单份审核相同：通过后冻结报告期内的活动，并记入审计日志。",
  "bulk.approve.status": "当前状态",
  "bulk.approve.submitted_at": "报送时间",
  "bulk.approve.not_approvable": "（不是待审核状态，不会通过）",
  "bulk.approve.blocked_hint": "有 {count} 份报告不是待审核状态，不在本次通过之列。",
  "bulk.approve.freeze_hint": "如有一份报告在此期间被退回或修改，本次一份也不会通过，请返回重新选择。",
  "bulk.approve.confirm": "确认通过这 {count} 份报告",
  "bulk.approve.cancel": "返回",
  "bulk.approve.none_selected": "没有选择报告。请在报送情况表中勾选“待审核”的格子。",
  "bulk.approve.done": "已审核通过 {count} 份报告。",
  "bulk.approve.errors.none": "没有选择报告。",
  "bulk.approve.errors.bad_selection": "所选报告无效，请返回重新选择。",
  "bulk.approve.errors.confirm": "请在确认页核对所选报告后，点“确认通过”。",
  "bulk.approve.errors.not_found": "所选报告中有单位或报告期不存在。",
  "bulk.approve.errors.stale": "所选报告中有报告在您确认前已被修改或处理，一份也未通过。请返回重新选择。",
  "bulk.approve.errors.not_submitted": "所选报告中有不是待审核状态的报告，一份也未通过。",
} as const;
