import type { Role } from "../../db/schema";

/** One demo user per role; the README lists them. All share DEMO_PASSWORD. */
export const DEMO_PASSWORD = "lancang2026";

export const demoUsers: { username: string; displayName: string; role: Role; organizationCode: string }[] = [
  { username: "xsbn", displayName: "西双版纳州外办 填报员", role: "reporter", organizationCode: "yn-xsbn" },
  { username: "xsbn_leader", displayName: "西双版纳州外办 负责人", role: "leader", organizationCode: "yn-xsbn" },
  { username: "kunming", displayName: "昆明市外办 填报员", role: "reporter", organizationCode: "yn-km" },
  { username: "kunming_leader", displayName: "昆明市外办 负责人", role: "leader", organizationCode: "yn-km" },
  { username: "reviewer", displayName: "秘书处云南联络办公室 审核员", role: "reviewer", organizationCode: "lmc-cn-yn-liaison" },
  { username: "official", displayName: "云南省外办 查阅", role: "official", organizationCode: "yn" },
  { username: "admin", displayName: "系统管理员", role: "admin", organizationCode: "lmc-cn-secretariat" },
];
