//! Every string the app shows, in Chinese (default) and English. A `Lang` signal in
//! context picks the table; the choice comes from the browser's language, and the
//! switch on Me stores an override in localStorage.

use leptos::prelude::*;
use mall_core::{
    dto::{EntryKind, OrderStatus},
    format::group_thousands,
    ErrorCode, ErrorDetails, Tier,
};

use crate::api::ApiFailure;

/// The app's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

const STORAGE_KEY: &str = "mall.lang";

impl Lang {
    /// The stored choice, else the browser's language, else Chinese.
    pub fn detect() -> Lang {
        let window = web_sys::window();
        let stored = window.as_ref().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let tag = stored.or_else(|| window.and_then(|w| w.navigator().language())).unwrap_or_default();
        Lang::from_tag(&tag)
    }

    /// A BCP 47 tag → a language (anything not English is Chinese: the mall's members are in China).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Stores the choice and sets `<html lang>`.
    pub fn remember(self) {
        if let Some(w) = web_sys::window() {
            if let Ok(Some(s)) = w.local_storage() {
                let _ = s.set_item(STORAGE_KEY, self.tag());
            }
            if let Some(el) = w.document().and_then(|d| d.document_element()) {
                let _ = el.set_attribute("lang", self.tag());
            }
        }
    }

    /// The `lang` attribute value.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The string table.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The lazy pages' string table (see `PageTexts`).
    pub fn p(self) -> &'static PageTexts {
        match self {
            Lang::Zh => &ZH_PAGES,
            Lang::En => &EN_PAGES,
        }
    }

    /// Picks the text of this language from a pair.
    pub fn pick(self, text: &mall_core::dto::I18nText) -> String {
        match self {
            Lang::Zh => text.zh.clone(),
            Lang::En => text.en.clone(),
        }
    }

    /// `1,990 积分` / `1,990 pts`.
    pub fn points(self, n: i64) -> String {
        format!("{} {}", group_thousands(n), self.t().pts)
    }

    /// A tier's name.
    pub fn tier(self, tier: Tier) -> &'static str {
        let t = self.t();
        match tier {
            Tier::Member => t.tier_member,
            Tier::Silver => t.tier_silver,
            Tier::Gold => t.tier_gold,
            Tier::Diamond => t.tier_diamond,
        }
    }

    /// `金卡及以上专享`.
    pub fn tier_only(self, tier: Tier) -> String {
        match self {
            Lang::Zh => format!("{}及以上专享", self.tier(tier)),
            Lang::En => format!("{}+ only", self.tier(tier)),
        }
    }

    /// `N 积分将于 DATE 过期`.
    pub fn expiring(self, n: i64, date: &str) -> String {
        match self {
            Lang::Zh => format!("{} 积分将于 {date} 过期", group_thousands(n)),
            Lang::En => format!("{} pts expire on {date}", group_thousands(n)),
        }
    }

    /// `距钻石还差 N 成长值`.
    pub fn to_next_tier(self, tier: Tier, growth_left: i64) -> String {
        match self {
            Lang::Zh => format!("距{}还差 {} 成长值", self.tier(tier), group_thousands(growth_left)),
            Lang::En => format!("{} growth to {}", group_thousands(growth_left), self.tier(tier)),
        }
    }

    /// `已兑 1.2万` / `1.2k redeemed`.
    pub fn redeemed_count(self, n: i64) -> String {
        match self {
            Lang::Zh if n >= 10_000 => format!("已兑 {}.{}万", n / 10_000, (n % 10_000) / 1_000),
            Lang::Zh => format!("已兑 {n}"),
            Lang::En if n >= 1_000 => format!("{}.{}k redeemed", n / 1_000, (n % 1_000) / 100),
            Lang::En => format!("{n} redeemed"),
        }
    }

    /// `剩 N 件`.
    pub fn stock_left(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("剩 {} 件", group_thousands(n)),
            Lang::En => format!("{} left", group_thousands(n)),
        }
    }

    /// `每人限兑 N 件，你已兑 M 件`.
    pub fn limit_line(self, limit: i64, mine: i64) -> String {
        match (self, mine) {
            (Lang::Zh, 0) => format!("每人限兑 {limit} 件"),
            (Lang::Zh, m) => format!("每人限兑 {limit} 件，你已兑 {m} 件"),
            (Lang::En, 0) => format!("Limit {limit} per member"),
            (Lang::En, m) => format!("Limit {limit} per member, you have {m}"),
        }
    }

    /// `积分不足，还差 N 积分`.
    pub fn short_by(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("积分不足，还差 {} 积分", group_thousands(n)),
            Lang::En => format!("Not enough points: {} short", group_thousands(n)),
        }
    }

    /// `余额 N`.
    pub fn balance_after_entry(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("余额 {}", group_thousands(n)),
            Lang::En => format!("Balance {}", group_thousands(n)),
        }
    }

    /// A history kind's title.
    pub fn entry_kind(self, kind: EntryKind) -> &'static str {
        let zh = matches!(self, Lang::Zh);
        match kind {
            EntryKind::Register => zh_en(zh, "注册奖励", "Welcome bonus"),
            EntryKind::Checkin => zh_en(zh, "每日签到", "Daily check-in"),
            EntryKind::Task => zh_en(zh, "任务奖励", "Task reward"),
            EntryKind::Purchase => zh_en(zh, "购物返积分", "Purchase points"),
            EntryKind::Invite => zh_en(zh, "邀请好友", "Invite reward"),
            EntryKind::Refund => zh_en(zh, "订单取消退回", "Order refund"),
            EntryKind::Adjustment => zh_en(zh, "积分调整", "Adjustment"),
            EntryKind::Redeem => zh_en(zh, "兑换商品", "Redeemed"),
            EntryKind::FlashSale => zh_en(zh, "秒杀兑换", "Flash sale"),
            EntryKind::Makeup => zh_en(zh, "补签", "Make-up check-in"),
            EntryKind::Expire => zh_en(zh, "积分过期", "Points expired"),
            EntryKind::DeductionHold => zh_en(zh, "积分抵扣（冻结）", "Held at checkout"),
            EntryKind::DeductionRelease => zh_en(zh, "积分抵扣取消退回", "Checkout hold released"),
            EntryKind::DeductionRefund => zh_en(zh, "积分抵扣退款", "Checkout refund"),
            EntryKind::PurchaseReversal => zh_en(zh, "购物退款扣回", "Purchase refunded"),
            EntryKind::Donation => zh_en(zh, "积分捐赠", "Donation"),
            EntryKind::LotteryDraw => zh_en(zh, "积分抽奖", "Lottery draw"),
            EntryKind::LotteryPrize => zh_en(zh, "抽奖奖品", "Lottery prize"),
        }
    }

    /// An order status.
    pub fn order_status(self, status: OrderStatus) -> &'static str {
        let zh = matches!(self, Lang::Zh);
        match status {
            OrderStatus::Fulfilled => zh_en(zh, "已发放", "Issued"),
            OrderStatus::Pending => zh_en(zh, "待发货", "To ship"),
            OrderStatus::Shipped => zh_en(zh, "已发货", "Shipped"),
            OrderStatus::Delivered => zh_en(zh, "已签收", "Delivered"),
            OrderStatus::Cancelled => zh_en(zh, "已取消", "Cancelled"),
        }
    }

    /// `+10 积分，连签奖励` (doubled for early birds).
    pub fn checkin_toast(self, points: i64, early_bird: bool) -> String {
        match (self, early_bird) {
            (Lang::Zh, true) => format!("签到成功 +{points} 积分（早鸟双倍）"),
            (Lang::Zh, false) => format!("签到成功 +{points} 积分"),
            (Lang::En, true) => format!("Checked in: +{points} pts (early-bird double)"),
            (Lang::En, false) => format!("Checked in: +{points} pts"),
        }
    }

    /// `明日签到可得 10 积分`.
    pub fn tomorrow_reward(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("明日签到可得 {n} 积分"),
            Lang::En => format!("Tomorrow: +{n} pts"),
        }
    }

    /// `今日签到可得 5 积分`.
    pub fn today_reward(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("今日签到可得 {n} 积分"),
            Lang::En => format!("Check in today: +{n} pts"),
        }
    }

    /// `每天 00:00 重置`.
    pub fn resets_at(self, time: &str) -> String {
        match self {
            Lang::Zh => format!("签到日在你的当地时间 {time} 重置"),
            Lang::En => format!("The day resets at {time} your time"),
        }
    }

    /// `第 3 天`.
    pub fn day_n(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("第{n}天"),
            Lang::En => format!("Day {n}"),
        }
    }

    /// `连签 3 天`.
    pub fn streak_days(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("连签 {n} 天"),
            Lang::En => format!("{n}-day streak"),
        }
    }

    /// `2026年11月`.
    pub fn month_title(self, month: &str) -> String {
        let (y, m) = month.split_once('-').unwrap_or((month, ""));
        match self {
            Lang::Zh => format!("{y}年{}月", m.trim_start_matches('0')),
            Lang::En => format!("{m}/{y}"),
        }
    }

    /// Weekday initials, Monday first.
    pub fn weekdays(self) -> [&'static str; 7] {
        match self {
            Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
            Lang::En => ["M", "T", "W", "T", "F", "S", "S"],
        }
    }

    /// A calendar day's state, for screen readers.
    pub fn day_state(self, state: mall_core::earning::DayState) -> &'static str {
        use mall_core::earning::DayState::*;
        let zh = matches!(self, Lang::Zh);
        match state {
            Checked => zh_en(zh, "已签到", "checked in"),
            MadeUp => zh_en(zh, "已补签", "made up"),
            Missed => zh_en(zh, "漏签，可补签", "missed, can be made up"),
            Today => zh_en(zh, "今天", "today"),
            Future => zh_en(zh, "未到", "upcoming"),
            Past => zh_en(zh, "已过", "past"),
        }
    }

    /// The make-up rule under the calendar.
    pub fn makeup_hint(self, cost: i64, free_left: i64, left: i64) -> String {
        match self {
            Lang::Zh => format!("点漏签日期可补签：每次 {cost} 积分（本月免费 {free_left} 次），本月还可补签 {left} 次"),
            Lang::En => format!("Tap a missed day to make it up: {cost} pts each ({free_left} free left), {left} left this month"),
        }
    }

    /// `补签 2026-11-20，连签不中断`.
    pub fn makeup_line(self, date: &str) -> String {
        match self {
            Lang::Zh => format!("补签 {date}，连续签到将被修复"),
            Lang::En => format!("Make up {date} and repair your streak"),
        }
    }

    /// `成长值 5,000 起`.
    pub fn growth_from(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("成长值 {} 起", group_thousands(n)),
            Lang::En => format!("from {} growth", group_thousands(n)),
        }
    }

    /// A tier's perks in words.
    pub fn perk_lines(self, p: &mall_core::rules::TierPerks) -> Vec<String> {
        let zh = matches!(self, Lang::Zh);
        let mut lines = vec![if zh { format!("购物积分 ×{}", p.multiplier) } else { format!("×{} purchase points", p.multiplier) }];
        if p.free_makeups > 0 {
            lines.push(if zh {
                format!("每月免费补签 {} 次", p.free_makeups)
            } else {
                format!("{} free make-ups a month", p.free_makeups)
            });
        }
        if p.tier_items {
            lines.push(if zh { "专享商品".into() } else { "tier-only rewards".into() });
        }
        if p.early_sale_minutes > 0 {
            lines.push(if zh {
                format!("秒杀提前 {} 分钟", p.early_sale_minutes)
            } else {
                format!("flash sales {} min early", p.early_sale_minutes)
            });
        }
        lines
    }

    /// What a task claim gave, or why nothing.
    pub fn award_line(self, award: &mall_core::earning::Award) -> String {
        use mall_core::earning::CapReason::*;
        let zh = matches!(self, Lang::Zh);
        match award.reason {
            None => {
                if zh {
                    format!("+{} 积分", award.awarded)
                } else {
                    format!("+{} pts", award.awarded)
                }
            }
            Some(TaskDailyCap) => (zh_en(zh, "今天这个任务的奖励已领完", "That task's rewards for today are used up")).into(),
            Some(DailyTaskCap) => (zh_en(zh, "今日任务奖励已达上限", "You've reached today's task reward limit")).into(),
            Some(LifetimeCap) => (zh_en(zh, "这个任务的奖励已全部领取", "You've collected everything this task pays")).into(),
            Some(MonthlyInviteCap) => (zh_en(zh, "本月邀请奖励已达上限", "This month's invite rewards are used up")).into(),
        }
    }

    /// `今日还可领 11 次任务奖励`.
    pub fn tasks_left(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("今日还可领 {n} 次任务奖励"),
            Lang::En => format!("{n} task rewards left today"),
        }
    }

    /// A task's name.
    pub fn task_name(self, task: &str) -> String {
        let zh = matches!(self, Lang::Zh);
        match task {
            "share" => (zh_en(zh, "分享商品", "Share a reward")).into(),
            "review" => (zh_en(zh, "写评价", "Write a review")).into(),
            "profile" => (zh_en(zh, "完善资料", "Complete your profile")).into(),
            other => other.to_string(),
        }
    }

    /// What is left of a task's caps.
    pub fn task_caps(self, t: &mall_core::earning::TaskStatus) -> String {
        let zh = matches!(self, Lang::Zh);
        let mut parts = Vec::new();
        if let Some(left) = t.left_today {
            parts.push(if zh { format!("今日剩 {left} 次") } else { format!("{left} left today") });
        }
        if let Some(left) = t.lifetime_points_left {
            parts.push(if zh { format!("累计还可得 {left} 积分") } else { format!("{left} pts left in all") });
        }
        if !t.claimable && parts.is_empty() {
            parts.push((zh_en(zh, "已完成", "Done")).into());
        }
        parts.join(" · ")
    }

    /// `+5 积分`.
    pub fn points_plus(self, n: i64) -> String {
        format!("+{}", self.points(n))
    }

    /// `已邀请 3 人，2 人已到账`.
    pub fn invite_line(self, accepted: i64, credited: i64) -> String {
        match self {
            Lang::Zh => format!("已邀请 {accepted} 人，{credited} 人首单后已到账"),
            Lang::En => format!("{accepted} invited, {credited} credited after their first purchase"),
        }
    }

    /// `已取消，990 积分已退回`.
    pub fn refund_line(self, points: i64) -> String {
        match self {
            Lang::Zh => format!("已取消，{} 积分已退回", group_thousands(points)),
            Lang::En => format!("Cancelled: {} pts returned", group_thousands(points)),
        }
    }

    /// `收入 +1,200 支出 -290` (a zero side is left out).
    pub fn month_totals(self, income: i64, spending: i64) -> String {
        let (inn, out) = match self {
            Lang::Zh => ("收入", "支出"),
            Lang::En => ("In", "Out"),
        };
        let mut parts = Vec::new();
        if income > 0 {
            parts.push(format!("{inn} +{}", group_thousands(income)));
        }
        if spending > 0 {
            parts.push(format!("{out} -{}", group_thousands(spending)));
        }
        parts.join(" ")
    }

    /// `2025-12-13 获得 720`.
    pub fn lot_line(self, earned_at: &str, amount: i64) -> String {
        let day = earned_at.get(..10).unwrap_or(earned_at);
        match self {
            Lang::Zh => format!("{day} 获得 {}", group_thousands(amount)),
            Lang::En => format!("Earned {} on {day}", group_thousands(amount)),
        }
    }

    /// Home's chip: `N 积分待到账`.
    pub fn pending(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("{} 积分待到账", group_thousands(n)),
            Lang::En => format!("{} pts on the way", group_thousands(n)),
        }
    }

    /// `每次 50 积分 · 今日还可抽 5 次（每天 5 次）`.
    pub fn lottery_meta(self, cost: i64, left: i64, per_day: i64) -> String {
        match self {
            Lang::Zh => format!("每次 {} 积分 · 今日还可抽 {left} 次（每天 {per_day} 次）", group_thousands(cost)),
            Lang::En => format!("{} pts a draw · {left} of {per_day} draws left today", group_thousands(cost)),
        }
    }

    /// What the mall pays per verified code.
    pub fn settlement_value(self, yuan: &str) -> String {
        match self {
            Lang::Zh => format!("每核销一张结算 ¥{yuan}"),
            Lang::En => format!("¥{yuan} per verified code"),
        }
    }

    /// A prize's stock.
    pub fn prize_left(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("剩余 {}", group_thousands(n)),
            Lang::En => format!("{} left", group_thousands(n)),
        }
    }

    /// The draw button.
    pub fn draw_button(self, cost: i64) -> String {
        match self {
            Lang::Zh => format!("抽一次（{} 积分）", group_thousands(cost)),
            Lang::En => format!("Draw ({} pts)", group_thousands(cost)),
        }
    }

    /// A won prize.
    pub fn prize_won(self, name: &str) -> String {
        match self {
            Lang::Zh => format!("恭喜！抽中 {name}"),
            Lang::En => format!("You won {name}!"),
        }
    }

    /// Draws left after a draw.
    pub fn draws_left(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("今日还可抽 {n} 次"),
            Lang::En => format!("{n} draws left today"),
        }
    }

    /// A cause's progress: `已筹 12,300 / 500,000 积分`.
    pub fn cause_raised(self, raised: i64, target: i64) -> String {
        match self {
            Lang::Zh => format!("已筹 {} / {} 积分", group_thousands(raised), group_thousands(target)),
            Lang::En => format!("{} of {} pts raised", group_thousands(raised), group_thousands(target)),
        }
    }

    /// What the member gave a cause.
    pub fn cause_given(self, points: i64) -> String {
        match self {
            Lang::Zh => format!("我已捐 {} 积分", group_thousands(points)),
            Lang::En => format!("I gave {} pts", group_thousands(points)),
        }
    }

    /// The donate sheet's balance line.
    pub fn donate_after(self, balance: i64) -> String {
        match self {
            Lang::Zh => format!("捐赠后余额 {} 积分", group_thousands(balance)),
            Lang::En => format!("Balance after: {} pts", group_thousands(balance)),
        }
    }

    /// The minimum donation.
    pub fn donate_min(self, min: i64) -> String {
        match self {
            Lang::Zh => format!("每次至少捐赠 {min} 积分"),
            Lang::En => format!("Give at least {min} pts"),
        }
    }

    /// The donate button with its amount.
    pub fn donate_button(self, points: i64) -> String {
        match self {
            Lang::Zh => format!("确认捐赠 {} 积分", group_thousands(points)),
            Lang::En => format!("Give {} pts", group_thousands(points)),
        }
    }

    /// The thank-you toast.
    pub fn donated(self, points: i64) -> String {
        match self {
            Lang::Zh => format!("感谢！已捐赠 {} 积分", group_thousands(points)),
            Lang::En => format!("Thank you! {} pts given", group_thousands(points)),
        }
    }

    /// What "copy" puts on the clipboard for a friend.
    pub fn invite_share(self, code: &str) -> String {
        match self {
            Lang::Zh => format!("我在积分商城等你！注册后在「我的」填写邀请码 {code}，首次购物后我们都得积分。"),
            Lang::En => {
                format!("Join me at the points mall: enter invite code {code} under Me; we both earn points after your first purchase.")
            }
        }
    }

    /// A pending purchase's line: `2026-12-08 到账`.
    pub fn arrives_on(self, settles_at: &str) -> String {
        let day = settles_at.get(..10).unwrap_or(settles_at);
        match self {
            Lang::Zh => format!("{day} 到账"),
            Lang::En => format!("arrive {day}"),
        }
    }

    /// The shortfall note in the history.
    pub fn shortfall(self, n: i64) -> String {
        match self {
            Lang::Zh => format!("退款未能扣回的 {} 积分，将从之后获得的积分中先行抵扣", group_thousands(n)),
            Lang::En => format!("{} pts a refund could not take back will come out of the next points you earn", group_thousands(n)),
        }
    }

    /// The live notice: `+120 积分已到账 · 余额 8,715`.
    pub fn points_arrived(self, delta: i64, balance: i64) -> String {
        match self {
            Lang::Zh => format!("+{} 积分已到账 · 余额 {}", group_thousands(delta), group_thousands(balance)),
            Lang::En => format!("+{} points arrived · balance {}", group_thousands(delta), group_thousands(balance)),
        }
    }

    /// `2026-12-06 过期`.
    pub fn expires_on(self, date: &str) -> String {
        match self {
            Lang::Zh => format!("{date} 过期"),
            Lang::En => format!("expires {date}"),
        }
    }

    /// Operator result line.
    pub fn ops_adjusted(self, member: i64, amount: i64, balance: i64) -> String {
        match self {
            Lang::Zh => format!("会员 {member} 调整 {amount:+}，余额 {}", group_thousands(balance)),
            Lang::En => format!("Member {member}: {amount:+}, balance {}", group_thousands(balance)),
        }
    }

    /// A slot's state label.
    pub fn slot_state(self, state: mall_core::sales::SaleState) -> &'static str {
        use mall_core::sales::SaleState::*;
        let zh = matches!(self, Lang::Zh);
        match state {
            Upcoming => zh_en(zh, "即将开始", "Soon"),
            Live => zh_en(zh, "抢购中", "Live"),
            SoldOut => zh_en(zh, "已抢光", "Sold out"),
            Ended => zh_en(zh, "已结束", "Ended"),
        }
    }

    /// A stable name of a sale state (for tests and styles).
    pub fn state_key(self, state: mall_core::sales::SaleState) -> &'static str {
        use mall_core::sales::SaleState::*;
        match state {
            Upcoming => "upcoming",
            Live => "live",
            SoldOut => "sold-out",
            Ended => "ended",
        }
    }

    /// The sale button's label.
    pub fn sale_button(self, state: mall_core::sales::SaleState, reminded: bool) -> String {
        use mall_core::sales::SaleState::*;
        let zh = matches!(self, Lang::Zh);
        let s = match (state, reminded) {
            (Upcoming, false) => zh_en(zh, "即将开始 · 提醒我", "Remind me"),
            (Upcoming, true) => zh_en(zh, "已设提醒", "Reminder set"),
            (Live, _) => zh_en(zh, "立即抢", "Grab now"),
            (SoldOut, _) => zh_en(zh, "已抢光", "Sold out"),
            (Ended, _) => zh_en(zh, "已结束", "Ended"),
        };
        s.to_string()
    }

    /// `已抢 60%`.
    pub fn taken(self, pct: i64) -> String {
        match self {
            Lang::Zh => format!("已抢 {pct}%"),
            Lang::En => format!("{pct}% taken"),
        }
    }

    /// Toast after a grab.
    pub fn grabbed(self, code: &str) -> String {
        match self {
            Lang::Zh => format!("抢到了！已放入「我的券码」\n{code}"),
            Lang::En => format!("Got it! Saved to My codes\n{code}"),
        }
    }

    /// Toast when a reminded sale opens.
    pub fn sale_opened(self, offer: &str) -> String {
        match self {
            Lang::Zh => format!("{offer} 开抢了"),
            Lang::En => format!("{offer} is open now"),
        }
    }

    /// `在 星巴克 使用`.
    pub fn use_at(self, merchant: &str) -> String {
        match self {
            Lang::Zh => format!("适用门店：{merchant}"),
            Lang::En => format!("Use at {merchant}"),
        }
    }

    /// `有效期至 2026-12-23`.
    pub fn valid_until(self, rfc3339: &str) -> String {
        let day = rfc3339.get(..10).unwrap_or(rfc3339);
        match self {
            Lang::Zh => format!("有效期至 {day}"),
            Lang::En => format!("Valid until {day}"),
        }
    }

    /// `使用于 11-23 16:30`.
    pub fn used_at(self, rfc3339: &str) -> String {
        let when = short_time(rfc3339);
        match self {
            Lang::Zh => format!("使用于 {when}"),
            Lang::En => format!("used {when}"),
        }
    }

    /// The QR image's accessible name.
    pub fn qr_label(self, code: &str) -> String {
        match self {
            Lang::Zh => format!("券码 {code} 的二维码"),
            Lang::En => format!("QR code of {code}"),
        }
    }

    /// A verified code's detail line.
    pub fn verified(self, code: &str, offer: &str) -> String {
        format!("{code} · {offer}")
    }

    /// Sales scheduled, by their slots: `已创建 2 场：11-24 10:00、20:00`.
    pub fn scheduled(self, day: &str, slots: &[String]) -> String {
        let day = day.get(5..).unwrap_or(day);
        match self {
            Lang::Zh => format!("已创建 {} 场：{day} {}", slots.len(), slots.join("、")),
            Lang::En => format!("Scheduled {} slot(s): {day} {}", slots.len(), slots.join(", ")),
        }
    }

    /// Why a typed code is not a code.
    pub fn code_error(self, e: mall_core::code::CodeError) -> &'static str {
        use mall_core::code::CodeError::*;
        let zh = matches!(self, Lang::Zh);
        match e {
            WrongLength => zh_en(zh, "兑换码为 12 位", "A code has 12 characters"),
            BadCharacter => zh_en(zh, "含有无效字符（不含 0、1、I、L、O）", "Contains a character codes never use (0, 1, I, L, O)"),
            BadCheck => zh_en(zh, "校验位不符，可能输错了一位", "Looks like a typo: the check character does not match"),
        }
    }

    /// Why a schedule is refused, in the operator's language.
    pub fn schedule_error(self, e: mall_core::sales::ScheduleError) -> &'static str {
        use mall_core::sales::ScheduleError::*;
        let zh = matches!(self, Lang::Zh);
        match e {
            MissingName => zh_en(zh, "请填写中英文商品名称", "Enter the offer name in both languages"),
            NotPositive => zh_en(zh, "积分、每人限抢和有效天数须大于 0", "Price, per-member limit and validity must be above 0"),
            Quantity => zh_en(zh, "每场数量须在 1 到 1,000,000 之间", "Codes per slot: 1 to 1,000,000"),
            EndBeforeStart => zh_en(zh, "结束时间须晚于开始时间", "The sale must end after it starts"),
            Length => zh_en(zh, "每场时长须在 1 到 1,440 分钟之间", "Minutes per slot: 1 to 1,440"),
            Slots => zh_en(zh, "请至少选择一个场次，且不要重复", "Choose at least one slot, each once"),
            Day => zh_en(zh, "请选择日期", "Choose a day"),
        }
    }

    /// What a failure means for the member, and what to do next.
    pub fn failure(self, failure: &ApiFailure) -> String {
        match failure {
            ApiFailure::Offline => self.t().offline.to_string(),
            ApiFailure::Server(_) | ApiFailure::Aborted => self.t().server_error.to_string(),
            ApiFailure::Refused { code, message, details, .. } => self.refusal(*code, details).unwrap_or_else(|| message.clone()),
        }
    }

    /// A refusal in the member's words, with its facts (when, by whom) where the server gave them;
    /// `None` for codes the app has no words for (the server's message is shown instead).
    pub fn refusal(self, code: ErrorCode, details: &ErrorDetails) -> Option<String> {
        let zh = matches!(self, Lang::Zh);
        let at = details.at.as_deref().map(short_time);
        let s = match code {
            ErrorCode::CodeUsed => {
                let (at, by) = (at.unwrap_or_default(), details.by.clone().unwrap_or_default());
                return Some(if zh {
                    format!("已于 {at} 在 {by} 核销，每个券码只能用一次")
                } else {
                    format!("Already redeemed at {by} on {at}. Each code works only once.")
                });
            }
            ErrorCode::CodeExpired if at.is_some() => {
                let at = at.unwrap_or_default();
                return Some(if zh { format!("兑换码已于 {at} 过期") } else { format!("This code expired {at}") });
            }
            ErrorCode::SaleNotStarted if at.is_some() => {
                let at = at.unwrap_or_default();
                return Some(if zh { format!("还没开抢，{at} 开始") } else { format!("Not open yet; opens {at}") });
            }
            ErrorCode::OutOfStock => zh_en(zh, "已兑完，库存不足", "Out of stock"),
            ErrorCode::LimitReached => zh_en(zh, "已达到每人兑换上限", "You have reached the limit for this item"),
            ErrorCode::InsufficientPoints => zh_en(zh, "积分不足", "Not enough points"),
            ErrorCode::TierLocked => zh_en(zh, "会员等级不足，升级后可兑换", "Your tier is too low for this item"),
            ErrorCode::ItemNotFound | ErrorCode::NotFound => zh_en(zh, "商品不存在或已下架", "This item is no longer available"),
            ErrorCode::Unauthorized => zh_en(zh, "登录已失效，请重新登录", "Your session ended; please log in again"),
            ErrorCode::RateLimited => zh_en(zh, "操作太频繁，请稍后再试", "Too many tries; wait a moment"),
            ErrorCode::AlreadyCheckedIn => zh_en(zh, "这一天已签到", "That day is already checked in"),
            ErrorCode::MakeupLimitReached => zh_en(zh, "本月补签次数已用完", "No make-ups left this month"),
            ErrorCode::MakeupNotAllowed => zh_en(zh, "只能补签本月之前的日期", "Only past days of this month can be made up"),
            ErrorCode::NotCancellable => zh_en(zh, "订单已发货，无法取消", "This order can no longer be cancelled"),
            ErrorCode::Forbidden => zh_en(zh, "没有权限，请检查核销口令", "Not allowed; check the credential"),
            ErrorCode::SoldOut => zh_en(zh, "已抢光", "Sold out"),
            ErrorCode::SaleNotStarted => zh_en(zh, "还没开抢", "Not open yet"),
            ErrorCode::SaleEnded => zh_en(zh, "秒杀已结束", "This sale has ended"),
            ErrorCode::SaleNotFound => zh_en(zh, "该场次不存在", "No such sale"),
            ErrorCode::SaleOverlap => zh_en(zh, "该商品在这个时段已有秒杀场次", "This offer already has a sale in that window"),
            ErrorCode::SaleWindowPassed => zh_en(zh, "这个时段已经过去了", "That window is already over"),
            ErrorCode::CodeInvalid => zh_en(zh, "兑换码格式不对，请检查", "That code is not valid; check it"),
            ErrorCode::CodeNotFound => zh_en(zh, "查无此兑换码", "No such code"),
            ErrorCode::CodeExpired => zh_en(zh, "兑换码不在有效期内", "This code is not valid at this time"),
            ErrorCode::CodeVoid => zh_en(zh, "兑换码已作废", "This code was voided"),
            ErrorCode::Internal | ErrorCode::Unavailable => self.t().server_error,
            _ => return None,
        };
        Some(s.to_string())
    }
}

/// The Chinese or the English text.
impl Lang {
    /// What a lazy page says about a failure: `failure`'s words, plus the refusals only
    /// lazy pages meet (a frozen account with the operator's reason, a cancelled sale).
    /// Only chunk code calls it and its words are in `PageTexts`: none of it is in the
    /// first visit.
    pub fn page_failure(self, failure: &ApiFailure) -> String {
        let p = self.p();
        match failure {
            ApiFailure::Refused { code: ErrorCode::MemberFrozen, details, .. } => {
                format!("{}{}", p.frozen_prefix, details.reason.as_deref().unwrap_or_default())
            }
            ApiFailure::Refused { code: ErrorCode::SaleCancelled, .. } => p.sale_cancelled.to_string(),
            _ => self.failure(failure),
        }
    }

    /// `page_failure` with the back office's refusals (staff pages only).
    pub fn staff_failure(self, failure: &ApiFailure) -> String {
        let p = self.p();
        let s = match failure.code() {
            Some(ErrorCode::CodeOfOtherMerchant) => p.code_other_merchant,
            Some(ErrorCode::SaleStarted) => p.sale_started,
            Some(ErrorCode::StaffLoginFailed) => p.staff_login_failed,
            Some(ErrorCode::Forbidden) => p.staff_forbidden,
            Some(ErrorCode::MemberNotFound) => p.ops_member_missing,
            _ => return self.page_failure(failure),
        };
        s.to_string()
    }

    /// A staff role's name.
    pub fn role(self, role: mall_core::staff::StaffRole) -> &'static str {
        match role {
            mall_core::staff::StaffRole::Operator => self.p().role_operator,
            mall_core::staff::StaffRole::Merchant => self.p().role_merchant,
        }
    }

    /// `已创建账号 cafe`.
    pub fn staff_created(self, username: &str) -> String {
        match self {
            Lang::Zh => format!("已创建账号 {username}"),
            Lang::En => format!("Account {username} created"),
        }
    }

    /// `尝试次数过多，请 N 秒后再试`.
    pub fn wait_seconds(self, seconds: u32) -> String {
        match self {
            Lang::Zh => format!("尝试次数过多，请 {seconds} 秒后再试"),
            Lang::En => format!("Too many tries; wait {seconds} s"),
        }
    }

    /// `已抢 3/100 · 已核销 1`.
    pub fn sold_line(self, sold: i64, quantity: i64, verified: i64) -> String {
        match self {
            Lang::Zh => format!("已抢 {}/{} · 已核销 {}", group_thousands(sold), group_thousands(quantity), group_thousands(verified)),
            Lang::En => format!("{}/{} grabbed · {} verified", group_thousands(sold), group_thousands(quantity), group_thousands(verified)),
        }
    }

    /// The question before a sale is cancelled.
    pub fn confirm_cancel_sale(self, offer: &str) -> String {
        match self {
            Lang::Zh => format!("取消「{offer}」？取消后会员不能再抢，已抢到的券码不受影响。"),
            Lang::En => format!("Cancel “{offer}”? Members can no longer grab it; codes already grabbed stay valid."),
        }
    }

    /// `已冻结：原因（11-23 16:30）`.
    pub fn frozen_line(self, reason: &str, at: Option<&str>) -> String {
        let at = at.map(short_time).unwrap_or_default();
        match self {
            Lang::Zh => format!("已冻结：{reason}（{at}）"),
            Lang::En => format!("Frozen: {reason} ({at})"),
        }
    }

    /// An item's fields refused by `check_item`.
    pub fn item_error(self, e: mall_core::catalog_admin::ItemError) -> &'static str {
        use mall_core::catalog_admin::ItemError::*;
        let p = self.p();
        match e {
            Text => p.item_err_text,
            Numbers => p.item_err_numbers,
            Specs => p.item_err_specs,
            Image => p.item_err_image,
        }
    }

    /// `库存 12 · 已兑 3`.
    pub fn stock_line(self, stock: i64, redeemed: i64) -> String {
        match self {
            Lang::Zh => format!("库存 {} · 已兑 {}", group_thousands(stock), group_thousands(redeemed)),
            Lang::En => format!("{} in stock · {} redeemed", group_thousands(stock), group_thousands(redeemed)),
        }
    }

    /// `顺丰速运 SF1234567890`.
    pub fn tracking_line(self, carrier: &str, tracking: &str) -> String {
        match self {
            Lang::Zh => format!("{carrier} · 运单号 {tracking}"),
            Lang::En => format!("{carrier} · tracking no. {tracking}"),
        }
    }

    /// `11-23 16:30`, for staff lists.
    pub fn when(self, rfc3339: &str) -> String {
        short_time(rfc3339)
    }
}

pub fn zh_en(zh: bool, zh_text: &'static str, en_text: &'static str) -> &'static str {
    if zh {
        zh_text
    } else {
        en_text
    }
}

/// `2026-11-23T16:30:00+08:00` → `11-23 16:30`, the shop-time form used in sentences.
fn short_time(rfc3339: &str) -> String {
    format!("{} {}", rfc3339.get(5..10).unwrap_or(""), rfc3339.get(11..16).unwrap_or(""))
}

/// The fixed strings of one language.
#[allow(missing_docs)]
pub struct Texts {
    pub app_name: &'static str,
    pub pts: &'static str,
    pub tab_home: &'static str,
    pub tab_catalog: &'static str,
    pub tab_checkin: &'static str,
    pub tab_history: &'static str,
    pub tab_me: &'static str,
    pub tier_member: &'static str,
    pub tier_silver: &'static str,
    pub tier_gold: &'static str,
    pub tier_diamond: &'static str,
    pub my_points: &'static str,
    pub hot_items: &'static str,
    pub see_all: &'static str,
    pub go_redeem: &'static str,
    pub all: &'static str,
    pub affordable: &'static str,
    pub search: &'static str,
    pub sold_out: &'static str,
    pub cancel: &'static str,
    pub back: &'static str,
    pub loading: &'static str,
    pub offline: &'static str,
    pub server_error: &'static str,
    pub retry: &'static str,
    pub chunk_failed: &'static str,
    pub reload_app: &'static str,
    pub language: &'static str,
    pub logout: &'static str,
    pub checkin_card: &'static str,
    pub not_found_title: &'static str,
    pub go_home: &'static str,
    pub main_nav: &'static str,
    pub filters: &'static str,
    pub categories: &'static str,
    pub checked_in_today: &'static str,
    pub check_in_now: &'static str,
    pub cost: &'static str,
    pub cancel_order: &'static str,
    pub no_sales: &'static str,
    pub reminder_badge: &'static str,
    pub starts_in: &'static str,
    pub ends_in: &'static str,
    pub wallet_title: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub flash_sale: &'static str,
}

/// The fixed strings only lazy pages show. Only chunk code reads this table (through
/// `Lang::p`), so wasm-split moves it out of the first visit with them.
#[allow(missing_docs)]
pub struct PageTexts {
    pub growth: &'static str,
    pub band_500: &'static str,
    pub band_2000: &'static str,
    pub band_10000: &'static str,
    pub band_over: &'static str,
    pub sort_popular: &'static str,
    pub sort_newest: &'static str,
    pub sort_points_asc: &'static str,
    pub sort_points_desc: &'static str,
    pub sort_label: &'static str,
    pub search_placeholder: &'static str,
    pub no_items: &'static str,
    pub clear_filters: &'static str,
    pub description: &'static str,
    pub specs: &'static str,
    pub redeem_now: &'static str,
    pub not_enough: &'static str,
    pub confirm_redeem: &'static str,
    pub quantity: &'static str,
    pub fewer: &'static str,
    pub more: &'static str,
    pub total: &'static str,
    pub balance_now: &'static str,
    pub balance_after: &'static str,
    pub confirm: &'static str,
    pub close: &'static str,
    pub redeem_ok: &'static str,
    pub redeem_failed: &'static str,
    pub virtual_next: &'static str,
    pub physical_next: &'static str,
    pub your_code: &'static str,
    pub see_history: &'static str,
    pub keep_shopping: &'static str,
    pub history_title: &'static str,
    pub filter_all: &'static str,
    pub filter_earned: &'static str,
    pub filter_spent: &'static str,
    pub filter_expired: &'static str,
    pub no_history: &'static str,
    pub month_in: &'static str,
    pub month_out: &'static str,
    pub no_more: &'static str,
    pub me_title: &'static str,
    pub top_tier: &'static str,
    pub my_orders: &'static str,
    pub no_orders: &'static str,
    pub login_title: &'static str,
    pub login_hint: &'static str,
    pub login_as: &'static str,
    pub physical: &'static str,
    pub virtual_item: &'static str,
    pub already_checked_in: &'static str,
    pub streak_label: &'static str,
    pub days_unit: &'static str,
    pub ladder_title: &'static str,
    pub makeup_title: &'static str,
    pub makeup_done: &'static str,
    pub free: &'static str,
    pub makeups_left: &'static str,
    pub confirm_makeup: &'static str,
    pub tier_perks: &'static str,
    pub tasks_title: &'static str,
    pub invite_title: &'static str,
    pub lots_title: &'static str,
    pub pending_title: &'static str,
    pub pending_note: &'static str,
    pub pending_none: &'static str,
    pub ops_shortfall: &'static str,
    pub causes_title: &'static str,
    pub causes_intro: &'static str,
    pub causes_none: &'static str,
    pub causes_progress: &'static str,
    pub donate: &'static str,
    pub cause_closed: &'static str,
    pub donate_amount: &'static str,
    pub donate_too_much: &'static str,
    pub donate_enter: &'static str,
    pub donate_irrevocable: &'static str,
    pub lottery_title: &'static str,
    pub lottery_none: &'static str,
    pub prize_out: &'static str,
    pub prize_nothing: &'static str,
    pub prize_out_note: &'static str,
    pub drawing: &'static str,
    pub draws_used_up: &'static str,
    pub prize_was_out: &'static str,
    pub prize_none_this_time: &'static str,
    pub lottery_fine: &'static str,
    pub prize_kind_points: &'static str,
    pub prize_kind_item: &'static str,
    pub prize_kind_coupon: &'static str,
    pub prize_item_note: &'static str,
    pub prize_code_in_wallet: &'static str,
    pub prize_order_made: &'static str,
    pub see_wallet: &'static str,
    pub see_orders: &'static str,
    pub me_lottery: &'static str,
    pub invite_copy: &'static str,
    pub invite_friend_code: &'static str,
    pub invite_use: &'static str,
    pub invite_enter: &'static str,
    pub invite_accepted: &'static str,
    pub invite_invalid: &'static str,
    pub invite_already: &'static str,
    pub invite_used: &'static str,
    pub invite_rules: &'static str,
    pub ops_title: &'static str,
    pub ops_bad_number: &'static str,
    pub ops_adjust: &'static str,
    pub ops_member: &'static str,
    pub ops_amount: &'static str,
    pub ops_reason: &'static str,
    pub ops_apply: &'static str,
    pub ops_orders: &'static str,
    pub ops_sales: &'static str,
    pub ops_offer_zh: &'static str,
    pub ops_offer_en: &'static str,
    pub ops_image: &'static str,
    pub ops_points: &'static str,
    pub ops_quantity: &'static str,
    pub ops_limit: &'static str,
    pub ops_day: &'static str,
    pub ops_slots: &'static str,
    pub ops_other_slot: &'static str,
    pub ops_minutes: &'static str,
    pub ops_valid_days: &'static str,
    pub ops_schedule: &'static str,
    pub sales_title: &'static str,
    pub remind_set: &'static str,
    pub remind_off: &'static str,
    pub got_it: &'static str,
    pub wallet_cached: &'static str,
    pub wallet_cached_server: &'static str,
    pub verify_ok: &'static str,
    pub verify_fail: &'static str,
    pub code_tab_usable: &'static str,
    pub code_tab_used: &'static str,
    pub code_tab_expired: &'static str,
    pub no_codes: &'static str,
    pub go_sales: &'static str,
    pub copy_failed: &'static str,
    pub merchant_title: &'static str,
    pub merchant_code: &'static str,
    pub merchant_verify: &'static str,
    pub merchant_codes: &'static str,
    pub offers_title: &'static str,
    pub offers_hint: &'static str,
    pub offers_mine: &'static str,
    pub offer_quantity: &'static str,
    pub offer_send: &'static str,
    pub offer_sent: &'static str,
    pub offer_proposed: &'static str,
    pub offer_approved: &'static str,
    pub offer_declined: &'static str,
    pub offer_error_name: &'static str,
    pub offer_error_quantity: &'static str,
    pub offer_error_window: &'static str,
    pub offer_error_past: &'static str,
    pub offer_error_long: &'static str,
    pub offer_approve: &'static str,
    pub offer_decline: &'static str,
    pub offer_need_points: &'static str,
    pub offer_approved_note: &'static str,
    pub offer_declined_note: &'static str,
    pub ops_offers: &'static str,
    pub board_title: &'static str,
    pub board_empty: &'static str,
    pub picks_title: &'static str,
    pub item_merchant: &'static str,
    pub item_own_voucher: &'static str,
    pub merchant_codes_all: &'static str,
    pub merchant_codes_verified: &'static str,
    pub merchant_settlement: &'static str,
    pub settlement_amount: &'static str,
    pub staff_title: &'static str,
    pub staff_hint: &'static str,
    pub staff_username: &'static str,
    pub staff_password: &'static str,
    pub staff_sign_in: &'static str,
    pub staff_sign_out: &'static str,
    pub staff_demo: &'static str,
    pub staff_bad_username: &'static str,
    pub staff_need_password: &'static str,
    pub staff_login_failed: &'static str,
    pub staff_forbidden: &'static str,
    pub role_operator: &'static str,
    pub role_merchant: &'static str,
    pub staff_nav: &'static str,
    pub ops_members: &'static str,
    pub ops_sales_list: &'static str,
    pub ops_audit: &'static str,
    pub ops_find: &'static str,
    pub ops_no_members: &'static str,
    pub ops_pick_member: &'static str,
    pub ops_member_missing: &'static str,
    pub ops_frozen: &'static str,
    pub ops_freeze: &'static str,
    pub ops_unfreeze: &'static str,
    pub ops_need_reason: &'static str,
    pub ops_balance: &'static str,
    pub ops_lots: &'static str,
    pub ops_history: &'static str,
    pub ops_member_orders: &'static str,
    pub ops_codes: &'static str,
    pub ops_none: &'static str,
    pub ops_from: &'static str,
    pub ops_to: &'static str,
    pub ops_show: &'static str,
    pub ops_cancelled: &'static str,
    pub ops_edit: &'static str,
    pub ops_save: &'static str,
    pub ops_saved: &'static str,
    pub ops_cancel_sale: &'static str,
    pub ops_keep: &'static str,
    pub ops_sale_cancelled: &'static str,
    pub ops_no_sales: &'static str,
    pub ops_starts: &'static str,
    pub ops_ends: &'static str,
    pub ops_merchant: &'static str,
    pub ops_offer: &'static str,
    pub load_more: &'static str,
    pub ops_no_audit: &'static str,
    pub audit_before: &'static str,
    pub audit_after: &'static str,
    pub sale_started: &'static str,
    pub sale_cancelled: &'static str,
    pub code_other_merchant: &'static str,
    pub frozen_prefix: &'static str,
    pub ops_pick_merchant: &'static str,
    pub ops_items: &'static str,
    pub items_active: &'static str,
    pub items_retired: &'static str,
    pub items_filter: &'static str,
    pub item_new: &'static str,
    pub item_edit: &'static str,
    pub item_name_zh: &'static str,
    pub item_name_en: &'static str,
    pub item_desc_zh: &'static str,
    pub item_desc_en: &'static str,
    pub item_category: &'static str,
    pub item_kind: &'static str,
    pub item_points: &'static str,
    pub item_cash: &'static str,
    pub item_limit: &'static str,
    pub item_min_tier: &'static str,
    pub item_any_tier: &'static str,
    pub item_stock: &'static str,
    pub item_spec_label_zh: &'static str,
    pub item_spec_label_en: &'static str,
    pub item_spec_value_zh: &'static str,
    pub item_spec_value_en: &'static str,
    pub item_add_spec: &'static str,
    pub item_remove: &'static str,
    pub item_upload: &'static str,
    pub item_uploading: &'static str,
    pub item_uploaded: &'static str,
    pub item_image_type: &'static str,
    pub item_image_big: &'static str,
    pub item_need_image: &'static str,
    pub item_need_category: &'static str,
    pub item_create: &'static str,
    pub item_created: &'static str,
    pub item_retire: &'static str,
    pub item_unretire: &'static str,
    pub item_retired_ok: &'static str,
    pub item_back_ok: &'static str,
    pub item_stock_change: &'static str,
    pub item_delta: &'static str,
    pub item_stock_reason: &'static str,
    pub item_stock_low: &'static str,
    pub item_no_items: &'static str,
    pub item_err_text: &'static str,
    pub item_err_numbers: &'static str,
    pub item_err_specs: &'static str,
    pub item_err_image: &'static str,
    pub orders_search: &'static str,
    pub orders_csv: &'static str,
    pub orders_none: &'static str,
    pub orders_status: &'static str,
    pub order_member: &'static str,
    pub order_ship_to: &'static str,
    pub order_ship: &'static str,
    pub order_carrier: &'static str,
    pub order_tracking: &'static str,
    pub order_deliver: &'static str,
    pub order_cancel: &'static str,
    pub order_cancel_reason: &'static str,
    pub order_cancel_confirm: &'static str,
    pub order_bad_ship: &'static str,
    pub order_shop_cancelled: &'static str,
    pub addr_title: &'static str,
    pub addr_add: &'static str,
    pub addr_edit: &'static str,
    pub addr_delete: &'static str,
    pub addr_delete_confirm: &'static str,
    pub addr_default: &'static str,
    pub addr_set_default: &'static str,
    pub addr_make_default: &'static str,
    pub addr_name: &'static str,
    pub addr_phone: &'static str,
    pub addr_region: &'static str,
    pub addr_detail: &'static str,
    pub addr_save: &'static str,
    pub addr_empty: &'static str,
    pub addr_bad_name: &'static str,
    pub addr_bad_phone: &'static str,
    pub addr_bad_place: &'static str,
    pub addr_full: &'static str,
    pub addr_pick: &'static str,
    pub addr_need: &'static str,
    pub addr_first: &'static str,
    pub ops_stats: &'static str,
    pub stats_points: &'static str,
    pub stats_activity: &'static str,
    pub stats_issued: &'static str,
    pub stats_taken_back: &'static str,
    pub stats_spent: &'static str,
    pub stats_returned: &'static str,
    pub stats_expired: &'static str,
    pub stats_opening: &'static str,
    pub stats_closing: &'static str,
    pub stats_outstanding: &'static str,
    pub stats_liability: &'static str,
    pub stats_active: &'static str,
    pub stats_rate: &'static str,
    pub stats_checkins: &'static str,
    pub stats_redemptions: &'static str,
    pub stats_codes: &'static str,
    pub stats_verified: &'static str,
    pub stats_day: &'static str,
    pub stats_total: &'static str,
    pub stats_top_items: &'static str,
    pub stats_merchants: &'static str,
    pub ops_staff: &'static str,
    pub staff_list_heading: &'static str,
    pub staff_no_accounts: &'static str,
    pub staff_you: &'static str,
    pub staff_disabled: &'static str,
    pub staff_new: &'static str,
    pub staff_display_name: &'static str,
    pub staff_role: &'static str,
    pub staff_initial_password: &'static str,
    pub staff_create: &'static str,
    pub staff_pick: &'static str,
    pub staff_disable: &'static str,
    pub staff_enable: &'static str,
    pub staff_disable_note: &'static str,
    pub staff_now_disabled: &'static str,
    pub staff_now_enabled: &'static str,
    pub staff_change_role: &'static str,
    pub staff_set_password: &'static str,
    pub staff_set_password_note: &'static str,
    pub staff_password_set: &'static str,
    pub staff_password_short: &'static str,
    pub staff_username_taken: &'static str,
    pub staff_own_account: &'static str,
    pub staff_not_accepted: &'static str,
    pub staff_account_missing: &'static str,
    pub staff_created_at: &'static str,
    pub staff_my_password: &'static str,
    pub staff_current_password: &'static str,
    pub staff_new_password: &'static str,
    pub staff_repeat_password: &'static str,
    pub staff_passwords_differ: &'static str,
    pub staff_password_unchanged: &'static str,
    pub staff_password_changed: &'static str,
    pub staff_current_wrong: &'static str,
    pub staff_current_wrong_or_short: &'static str,
    pub item_cash_unavailable: &'static str,
    pub staff_own_note: &'static str,
    pub staff_name: &'static str,
}

static ZH: Texts = Texts {
    app_name: "积分商城",
    pts: "积分",
    tab_home: "首页",
    tab_catalog: "兑换",
    tab_checkin: "签到",
    tab_history: "明细",
    tab_me: "我的",
    tier_member: "普通会员",
    tier_silver: "银卡",
    tier_gold: "金卡",
    tier_diamond: "钻石",
    my_points: "我的积分",
    hot_items: "热门兑换",
    see_all: "查看全部",
    go_redeem: "去兑换",
    all: "全部",
    affordable: "我能兑换",
    search: "搜索",
    sold_out: "售罄",
    cancel: "取消",
    back: "返回",
    loading: "加载中…",
    offline: "网络连接已断开，请检查网络后重试",
    server_error: "服务暂时不可用，请稍后重试",
    retry: "重试",
    chunk_failed: "页面没有加载出来，请检查网络后重试",
    reload_app: "重新打开商城",
    language: "语言",
    logout: "退出登录",
    checkin_card: "每日签到领积分",
    not_found_title: "页面不存在",
    go_home: "回到首页",
    main_nav: "主导航",
    filters: "筛选",
    categories: "分类",
    checked_in_today: "今日已签到",
    check_in_now: "立即签到",
    cost: "花费",
    cancel_order: "取消订单",
    no_sales: "今天没有秒杀场次",
    reminder_badge: "已提醒",
    starts_in: "距开抢",
    ends_in: "距结束",
    wallet_title: "我的券码",
    copy: "复制券码",
    copied: "已复制",
    flash_sale: "秒杀",
};

static ZH_PAGES: PageTexts = PageTexts {
    growth: "成长值",
    band_500: "500 以下",
    band_2000: "500–2000",
    band_10000: "2000–1万",
    band_over: "1万以上",
    sort_popular: "热门",
    sort_newest: "最新",
    sort_points_asc: "积分从低到高",
    sort_points_desc: "积分从高到低",
    sort_label: "排序",
    search_placeholder: "搜索商品",
    no_items: "没有符合条件的商品",
    clear_filters: "清除筛选",
    description: "商品介绍",
    specs: "规格参数",
    redeem_now: "立即兑换",
    not_enough: "积分不足",
    confirm_redeem: "确认兑换",
    quantity: "数量",
    fewer: "减少",
    more: "增加",
    total: "合计",
    balance_now: "当前积分",
    balance_after: "兑换后剩余",
    confirm: "确认兑换",
    close: "关闭",
    redeem_ok: "兑换成功",
    redeem_failed: "兑换未成功",
    virtual_next: "券码已发放，使用时出示即可",
    physical_next: "我们会在 48 小时内发货，可在「我的订单」查看进度",
    your_code: "券码",
    see_history: "查看积分明细",
    keep_shopping: "继续逛逛",
    history_title: "积分明细",
    filter_all: "全部",
    filter_earned: "收入",
    filter_spent: "支出",
    filter_expired: "过期",
    no_history: "还没有积分记录",
    month_in: "收入",
    month_out: "支出",
    no_more: "没有更多了",
    me_title: "我的",
    top_tier: "已是最高等级",
    my_orders: "我的订单",
    no_orders: "还没有兑换记录",
    login_title: "登录积分商城",
    login_hint: "演示环境：选择一位会员进入",
    login_as: "以此会员登录",
    physical: "实物",
    virtual_item: "电子券",
    already_checked_in: "今日已签到",
    streak_label: "已连续签到",
    days_unit: "天",
    ladder_title: "连签奖励",
    makeup_title: "补签",
    makeup_done: "补签成功",
    free: "免费",
    makeups_left: "本月剩余补签次数",
    confirm_makeup: "确认补签",
    tier_perks: "会员权益",
    tasks_title: "做任务赚积分",
    invite_title: "邀请好友",
    lots_title: "积分有效期",
    pending_title: "待到账积分",
    pending_note: "购物积分在退货期结束后到账，到账前不能使用",
    pending_none: "没有待到账的积分",
    ops_shortfall: "待扣回积分",
    causes_title: "积分捐赠",
    causes_intro: "把积分捐给公益项目，每一分都计入项目进度，捐赠后不可撤回。",
    causes_none: "暂时没有公益项目",
    causes_progress: "筹集进度",
    donate: "我要捐赠",
    cause_closed: "已结束",
    donate_amount: "捐赠积分",
    donate_too_much: "积分不足",
    donate_enter: "请输入要捐赠的积分",
    donate_irrevocable: "我知道捐赠后不可撤回",
    lottery_title: "积分抽奖",
    lottery_none: "暂时没有进行中的抽奖",
    prize_out: "已抽完",
    prize_nothing: "未中奖",
    prize_out_note: "已抽完的奖品：抽中即为未中奖。",
    drawing: "抽奖中…",
    draws_used_up: "今日抽奖次数已用完，明天再来",
    prize_was_out: "抽中的奖品已抽完，本次未中奖",
    prize_none_this_time: "未中奖，下次好运",
    lottery_fine: "概率与库存实时更新；每次抽奖消耗积分：",
    prize_kind_points: "积分",
    prize_kind_item: "实物",
    prize_kind_coupon: "优惠券",
    prize_item_note: "实物奖品免费寄往你的默认收货地址。",
    prize_code_in_wallet: "券码已放入卡包：",
    prize_order_made: "奖品订单已生成，将寄往你的默认收货地址。",
    see_wallet: "去卡包",
    see_orders: "查看订单",
    me_lottery: "积分抽奖",
    invite_copy: "复制",
    invite_friend_code: "好友的邀请码",
    invite_use: "使用",
    invite_enter: "请输入好友的 8 位邀请码",
    invite_accepted: "已使用好友的邀请码，首次购物后你们都得积分",
    invite_invalid: "邀请码无效（不能使用自己的邀请码）",
    invite_already: "你已经使用过好友的邀请码",
    invite_used: "你已使用好友的邀请码：首次购物后你们都得积分",
    invite_rules: "每人只能使用一次；邀请奖励在首次购物后发放，邀请人每月奖励有上限",
    ops_title: "运营后台",
    ops_bad_number: "请输入有效的数字",
    ops_adjust: "调整积分",
    ops_member: "会员 ID",
    ops_amount: "积分（正数增加，负数扣减）",
    ops_reason: "原因（会员可见）",
    ops_apply: "提交调整",
    ops_orders: "订单管理",
    ops_sales: "排期秒杀",
    ops_offer_zh: "商品名称（中文）",
    ops_offer_en: "商品名称（英文）",
    ops_image: "图片",
    ops_points: "秒杀价（积分）",
    ops_quantity: "每场数量",
    ops_limit: "每人限抢",
    ops_day: "日期（商城时间）",
    ops_slots: "场次",
    ops_other_slot: "其他时间",
    ops_minutes: "每场时长（分钟）",
    ops_valid_days: "券码有效天数（场次结束后）",
    ops_schedule: "创建场次",
    sales_title: "限时秒杀",
    remind_set: "已设置开抢提醒",
    remind_off: "已取消提醒",
    got_it: "已抢到",
    wallet_cached: "网络不可用，显示的是上次保存的券码",
    wallet_cached_server: "服务暂时不可用，显示的是上次保存的券码",
    verify_ok: "核销成功",
    verify_fail: "无法核销",
    code_tab_usable: "可使用",
    code_tab_used: "已使用",
    code_tab_expired: "已失效",
    no_codes: "这里还没有券码",
    go_sales: "去秒杀",
    copy_failed: "复制失败，请长按券码手动复制",
    merchant_title: "商户核销",
    merchant_code: "兑换码",
    merchant_verify: "核销",
    merchant_codes: "本店券码",
    offers_title: "免费赠品提案",
    offers_hint: "以免费赠品做推广：填写赠品、数量和时段，运营审核通过后作为限时秒杀上线。",
    offers_mine: "我的提案",
    offer_quantity: "数量",
    offer_send: "提交提案",
    offer_sent: "提案已提交，等待运营审核",
    offer_proposed: "待审核",
    offer_approved: "已通过",
    offer_declined: "未通过",
    offer_error_name: "请填写中英文赠品名称（各 1–60 字）",
    offer_error_quantity: "数量需在 1 到 10,000 之间",
    offer_error_window: "结束时间需晚于开始时间",
    offer_error_past: "开始时间不能早于现在",
    offer_error_long: "一次赠品最长 7 天",
    offer_approve: "通过并上线",
    offer_decline: "不通过",
    offer_need_points: "请填写每个兑换码所需积分",
    offer_approved_note: "已通过，秒杀已排期",
    offer_declined_note: "已标记为不通过",
    ops_offers: "商户提案",
    board_title: "本周兑换榜",
    board_empty: "本周还没有兑换，去抢第一个吧",
    picks_title: "为你推荐",
    item_merchant: "核销商户",
    item_own_voucher: "商城自营",
    merchant_codes_all: "全部",
    merchant_codes_verified: "已核销",
    merchant_settlement: "结算对账",
    settlement_amount: "结算金额",
    staff_title: "员工登录",
    staff_hint: "运营和商户账号在这里登录",
    staff_username: "用户名",
    staff_password: "密码",
    staff_sign_in: "登录",
    staff_sign_out: "退出登录",
    staff_demo: "演示账号（点按填入）",
    staff_bad_username: "用户名为 3–32 位小写字母、数字或 . _ -",
    staff_need_password: "请输入密码",
    staff_login_failed: "用户名或密码不正确",
    staff_forbidden: "这个账号没有权限",
    role_operator: "运营",
    role_merchant: "商户",
    staff_nav: "后台栏目",
    ops_members: "会员",
    ops_sales_list: "秒杀场次",
    ops_audit: "操作日志",
    ops_find: "查找会员（ID 或姓名）",
    ops_no_members: "没有找到会员",
    ops_pick_member: "选择一位会员查看详情",
    ops_member_missing: "会员不存在",
    ops_frozen: "已冻结",
    ops_freeze: "冻结账户",
    ops_unfreeze: "解冻",
    ops_need_reason: "请填写原因",
    ops_balance: "可用积分",
    ops_lots: "积分批次",
    ops_history: "最近积分记录",
    ops_member_orders: "订单",
    ops_codes: "券码",
    ops_none: "无",
    ops_from: "开始日期",
    ops_to: "结束日期",
    ops_show: "查看",
    ops_cancelled: "已取消",
    ops_edit: "修改",
    ops_save: "保存修改",
    ops_saved: "已保存",
    ops_cancel_sale: "取消场次",
    ops_keep: "不取消",
    ops_sale_cancelled: "场次已取消",
    ops_no_sales: "这几天没有场次",
    ops_starts: "开始时间",
    ops_ends: "结束时间",
    ops_merchant: "商户",
    ops_offer: "商品名称",
    load_more: "加载更多",
    ops_no_audit: "还没有操作记录",
    audit_before: "变更前",
    audit_after: "变更后",
    sale_started: "场次已开始，不能再修改",
    sale_cancelled: "该场次已取消",
    code_other_merchant: "这是其他商户的兑换码",
    frozen_prefix: "账户已冻结：",
    ops_pick_merchant: "请选择商户",
    ops_items: "商品管理",
    items_active: "在售",
    items_retired: "已下架",
    items_filter: "商品状态",
    item_new: "新建商品",
    item_edit: "编辑商品",
    item_name_zh: "名称（中文）",
    item_name_en: "名称（英文）",
    item_desc_zh: "描述（中文）",
    item_desc_en: "描述（英文）",
    item_category: "分类",
    item_kind: "类型",
    item_points: "积分价",
    item_cash: "现金部分（元，可不填）",
    item_limit: "每人限兑",
    item_min_tier: "最低等级",
    item_any_tier: "不限",
    item_stock: "初始库存",
    item_spec_label_zh: "规格名（中文）",
    item_spec_label_en: "规格名（英文）",
    item_spec_value_zh: "内容（中文）",
    item_spec_value_en: "内容（英文）",
    item_add_spec: "添加规格",
    item_remove: "删除",
    item_upload: "上传图片（PNG / JPEG / WebP，≤ 512 KB）",
    item_uploading: "上传中…",
    item_uploaded: "图片已上传",
    item_image_type: "只能上传 PNG、JPEG 或 WebP 图片",
    item_image_big: "图片不能超过 512 KB",
    item_need_image: "请上传图片",
    item_need_category: "请选择分类",
    item_create: "创建商品",
    item_created: "商品已创建，会员现在就能看到",
    item_retire: "下架",
    item_unretire: "重新上架",
    item_retired_ok: "已下架，会员不再能看到",
    item_back_ok: "已重新上架",
    item_stock_change: "调整库存",
    item_delta: "数量（正数入库，负数出库）",
    item_stock_reason: "原因（记入操作日志）",
    item_stock_low: "库存不能低于 0",
    item_no_items: "没有商品",
    item_err_text: "名称中英文都要填（1–60 字），描述最多 2,000 字",
    item_err_numbers: "积分 1–10,000,000，现金须大于 0，每人限兑至少 1，库存不能为负",
    item_err_specs: "最多 20 条规格，每条都要有中英文规格名",
    item_err_image: "图片须为上传的图片",
    orders_search: "搜索（订单号、会员、商品、运单号）",
    orders_csv: "导出 CSV",
    orders_none: "没有符合条件的订单",
    orders_status: "订单状态",
    order_member: "会员",
    order_ship_to: "收货地址",
    order_ship: "发货",
    order_carrier: "快递公司",
    order_tracking: "运单号",
    order_deliver: "确认送达",
    order_cancel: "取消订单",
    order_cancel_reason: "取消原因（会员可见）",
    order_cancel_confirm: "确认取消（退还积分和库存）",
    order_bad_ship: "请填写快递公司和 4–40 位运单号（字母、数字、-）",
    order_shop_cancelled: "商城已取消：",
    addr_title: "收货地址",
    addr_add: "新增地址",
    addr_edit: "编辑",
    addr_delete: "删除",
    addr_delete_confirm: "确定删除这个地址？",
    addr_default: "默认",
    addr_set_default: "设为默认",
    addr_make_default: "设为默认地址",
    addr_name: "收货人",
    addr_phone: "手机号",
    addr_region: "所在地区（省 市 区）",
    addr_detail: "详细地址",
    addr_save: "保存地址",
    addr_empty: "还没有收货地址，兑换实物前先添加一个",
    addr_bad_name: "请填写收货人（1–30 字）",
    addr_bad_phone: "请填写正确的手机号（5–20 位数字）",
    addr_bad_place: "请填写所在地区（≤ 60 字）和详细地址（≤ 120 字）",
    addr_full: "最多保存 20 个地址，请先删除不用的",
    addr_pick: "收货地址",
    addr_need: "请选择收货地址",
    addr_first: "兑换实物需要收货地址，请先添加",
    ops_stats: "数据统计",
    stats_points: "积分收支",
    stats_activity: "会员活跃",
    stats_issued: "发放",
    stats_taken_back: "扣回",
    stats_spent: "消耗",
    stats_returned: "退回",
    stats_expired: "过期",
    stats_opening: "期初积分",
    stats_closing: "期末积分",
    stats_outstanding: "当前未使用积分",
    stats_liability: "积分负债",
    stats_active: "活跃会员",
    stats_rate: "签到率",
    stats_checkins: "签到",
    stats_redemptions: "兑换订单",
    stats_codes: "秒杀券码",
    stats_verified: "已核销",
    stats_day: "日期",
    stats_total: "合计",
    stats_top_items: "热门兑换",
    stats_merchants: "各商户核销 / 发放",
    ops_staff: "员工账号",
    staff_list_heading: "全部账号",
    staff_no_accounts: "还没有员工账号",
    staff_you: "（你）",
    staff_disabled: "已停用",
    staff_new: "新建账号",
    staff_display_name: "显示名称（可不填）",
    staff_role: "角色",
    staff_initial_password: "初始密码（至少 10 个字符）",
    staff_create: "创建账号",
    staff_pick: "选择一个账号来停用、修改角色或重设密码",
    staff_disable: "停用账号",
    staff_enable: "重新启用",
    staff_disable_note: "停用后该账号立即退出登录，且不能再登录",
    staff_now_disabled: "已停用，该账号已退出登录",
    staff_now_enabled: "已重新启用，该账号可以登录",
    staff_change_role: "角色与商户",
    staff_set_password: "设置新密码",
    staff_set_password_note: "用于忘记密码：设置后该账号的所有登录立即失效",
    staff_password_set: "新密码已设置，该账号需要用新密码重新登录",
    staff_password_short: "密码至少需要 10 个字符",
    staff_username_taken: "这个用户名已被使用，请换一个",
    staff_own_account: "不能停用或降级你自己的账号",
    staff_not_accepted:
        "未被接受：用户名为 3–32 个小写字母、数字或 . _ -，密码至少 10 个字符，商户账号须选择已有商户，运营账号不能属于商户",
    staff_account_missing: "找不到这个账号，请刷新列表",
    staff_created_at: "创建于",
    staff_my_password: "修改我的密码",
    staff_current_password: "当前密码",
    staff_new_password: "新密码（至少 10 个字符）",
    staff_repeat_password: "再次输入新密码",
    staff_passwords_differ: "两次输入的新密码不一致",
    staff_password_unchanged: "新密码不能与当前密码相同",
    staff_password_changed: "密码已修改，你在其他设备上的登录已退出",
    staff_current_wrong: "当前密码不正确",
    staff_current_wrong_or_short: "当前密码不正确，或新密码太短（至少 10 个字符）",
    item_cash_unavailable: "本店暂未开通现金支付，此商品暂不可兑换",
    staff_name: "显示名称",
    staff_own_note: "这是你自己的账号：不能在这里停用或降级；改密码请用页面顶部的“修改我的密码”",
};

static EN: Texts = Texts {
    app_name: "Points Mall",
    pts: "pts",
    tab_home: "Home",
    tab_catalog: "Rewards",
    tab_checkin: "Check-in",
    tab_history: "History",
    tab_me: "Me",
    tier_member: "Member",
    tier_silver: "Silver",
    tier_gold: "Gold",
    tier_diamond: "Diamond",
    my_points: "My points",
    hot_items: "Popular rewards",
    see_all: "See all",
    go_redeem: "Redeem",
    all: "All",
    affordable: "I can afford",
    search: "Search",
    sold_out: "Sold out",
    cancel: "Cancel",
    back: "Back",
    loading: "Loading…",
    offline: "You're offline. Check your connection and retry",
    server_error: "The service is unavailable. Please retry shortly",
    retry: "Retry",
    chunk_failed: "This page didn't load. Check your connection and retry",
    reload_app: "Reload the mall",
    language: "Language",
    logout: "Log out",
    checkin_card: "Check in daily for points",
    not_found_title: "Page not found",
    go_home: "Back to Home",
    main_nav: "Main navigation",
    filters: "Filters",
    categories: "Categories",
    checked_in_today: "Checked in",
    check_in_now: "Check in",
    cost: "Cost",
    cancel_order: "Cancel",
    no_sales: "No flash sales today",
    reminder_badge: "Reminder on",
    starts_in: "Starts in",
    ends_in: "Ends in",
    wallet_title: "My codes",
    copy: "Copy code",
    copied: "Copied",
    flash_sale: "Flash",
};

static EN_PAGES: PageTexts = PageTexts {
    growth: "Growth",
    band_500: "Under 500",
    band_2000: "500–2,000",
    band_10000: "2,000–10k",
    band_over: "10k+",
    sort_popular: "Popular",
    sort_newest: "Newest",
    sort_points_asc: "Points: low to high",
    sort_points_desc: "Points: high to low",
    sort_label: "Sort",
    search_placeholder: "Search rewards",
    no_items: "No rewards match these filters",
    clear_filters: "Clear filters",
    description: "About this reward",
    specs: "Details",
    redeem_now: "Redeem now",
    not_enough: "Not enough points",
    confirm_redeem: "Confirm redemption",
    quantity: "Quantity",
    fewer: "Fewer",
    more: "More",
    total: "Total",
    balance_now: "Balance now",
    balance_after: "Balance after",
    confirm: "Confirm",
    close: "Close",
    redeem_ok: "Redeemed",
    redeem_failed: "Not redeemed",
    virtual_next: "Your code is ready; show it when you use it",
    physical_next: "We ship within 48 hours; track it under My orders",
    your_code: "Code",
    see_history: "See point history",
    keep_shopping: "Keep browsing",
    history_title: "Point history",
    filter_all: "All",
    filter_earned: "Earned",
    filter_spent: "Spent",
    filter_expired: "Expired",
    no_history: "No point activity yet",
    month_in: "In",
    month_out: "Out",
    no_more: "That's everything",
    me_title: "Me",
    top_tier: "Top tier reached",
    my_orders: "My orders",
    no_orders: "No redemptions yet",
    login_title: "Log in to the Points Mall",
    login_hint: "Demo: pick a member to continue",
    login_as: "Log in as this member",
    physical: "Goods",
    virtual_item: "E-voucher",
    already_checked_in: "Already checked in today",
    streak_label: "Current streak",
    days_unit: " days",
    ladder_title: "Streak rewards",
    makeup_title: "Make up a day",
    makeup_done: "Day made up",
    free: "Free",
    makeups_left: "Make-ups left this month",
    confirm_makeup: "Make it up",
    tier_perks: "Tier perks",
    tasks_title: "Earn points",
    invite_title: "Invite friends",
    lots_title: "When your points expire",
    pending_title: "Points on the way",
    pending_note: "Purchase points arrive when the return window ends; until then they cannot be spent",
    pending_none: "No points on the way",
    ops_shortfall: "Shortfall",
    causes_title: "Donate points",
    causes_intro: "Give points to a cause; every point counts towards its goal. A gift cannot be taken back.",
    causes_none: "No causes right now",
    causes_progress: "Progress",
    donate: "Donate",
    cause_closed: "Closed",
    donate_amount: "Points to give",
    donate_too_much: "Not enough points",
    donate_enter: "Enter the points to give",
    donate_irrevocable: "I understand a gift cannot be taken back",
    lottery_title: "Lucky draw",
    lottery_none: "No draw is running right now",
    prize_out: "All gone",
    prize_nothing: "No prize",
    prize_out_note: "A prize that is all gone counts as no prize if drawn.",
    drawing: "Drawing…",
    draws_used_up: "No draws left today; come back tomorrow",
    prize_was_out: "That prize is all gone: no prize this time",
    prize_none_this_time: "No prize this time; good luck next time",
    lottery_fine: "Odds and stock are live; each draw costs points: ",
    prize_kind_points: "Points",
    prize_kind_item: "Item",
    prize_kind_coupon: "Coupon",
    prize_item_note: "Item prizes ship free to your default address.",
    prize_code_in_wallet: "The code is in your wallet:",
    prize_order_made: "Your prize order is placed and ships to your default address.",
    see_wallet: "Open wallet",
    see_orders: "See orders",
    me_lottery: "Lucky draw",
    invite_copy: "Copy",
    invite_friend_code: "A friend's invite code",
    invite_use: "Use",
    invite_enter: "Enter your friend's 8-character code",
    invite_accepted: "Code accepted: you both earn points after your first purchase",
    invite_invalid: "That code is not valid (your own code cannot be used)",
    invite_already: "You have already used a friend's code",
    invite_used: "You used a friend's code: you both earn points after your first purchase",
    invite_rules: "One code per member; rewards come after the first purchase, and inviters have a monthly cap",
    ops_title: "Operations",
    ops_bad_number: "Enter a valid number",
    ops_adjust: "Adjust points",
    ops_member: "Member ID",
    ops_amount: "Points (+ adds, − takes)",
    ops_reason: "Reason (the member sees it)",
    ops_apply: "Apply",
    ops_orders: "Orders",
    ops_sales: "Schedule flash sales",
    ops_offer_zh: "Offer name (Chinese)",
    ops_offer_en: "Offer name (English)",
    ops_image: "Image",
    ops_points: "Price (points)",
    ops_quantity: "Codes per slot",
    ops_limit: "Per member",
    ops_day: "Day (mall time)",
    ops_slots: "Slots",
    ops_other_slot: "Another time",
    ops_minutes: "Minutes per slot",
    ops_valid_days: "Code valid for (days after the slot)",
    ops_schedule: "Schedule",
    sales_title: "Flash sales",
    remind_set: "We will remind you when it opens",
    remind_off: "Reminder off",
    got_it: "Got it",
    wallet_cached: "Offline: showing your saved codes",
    wallet_cached_server: "The service is busy: showing your saved codes",
    verify_ok: "Verified",
    verify_fail: "Cannot verify",
    code_tab_usable: "Ready",
    code_tab_used: "Used",
    code_tab_expired: "Expired",
    no_codes: "No codes here yet",
    go_sales: "See flash sales",
    copy_failed: "Copy failed; long-press the code to copy it",
    merchant_title: "Verify a code",
    merchant_code: "Code",
    merchant_verify: "Verify",
    merchant_codes: "Our codes",
    offers_title: "Free offers",
    offers_hint: "Give items away as advertising: say what, how many and when; once an operator approves, it goes live as a flash sale.",
    offers_mine: "My proposals",
    offer_quantity: "Quantity",
    offer_send: "Send proposal",
    offer_sent: "Sent: an operator will review it",
    offer_proposed: "Waiting",
    offer_approved: "Approved",
    offer_declined: "Declined",
    offer_error_name: "Name the offer in both languages (1–60 characters each)",
    offer_error_quantity: "Quantity must be 1 to 10,000",
    offer_error_window: "The end must come after the start",
    offer_error_past: "The start cannot be in the past",
    offer_error_long: "An offer runs at most 7 days",
    offer_approve: "Approve",
    offer_decline: "Decline",
    offer_need_points: "Set the points a code costs",
    offer_approved_note: "Approved: the flash sale is scheduled",
    offer_declined_note: "Declined",
    ops_offers: "Merchant offers",
    board_title: "This week's top redeems",
    board_empty: "Nothing redeemed yet this week: be the first",
    picks_title: "Picked for you",
    item_merchant: "Verified by",
    item_own_voucher: "The mall itself",
    merchant_codes_all: "All",
    merchant_codes_verified: "Verified",
    merchant_settlement: "Settlement",
    settlement_amount: "Amount",
    staff_title: "Staff sign-in",
    staff_hint: "Operators and merchants sign in here",
    staff_username: "Username",
    staff_password: "Password",
    staff_sign_in: "Sign in",
    staff_sign_out: "Sign out",
    staff_demo: "Demo accounts (tap to fill in)",
    staff_bad_username: "A username is 3–32 of a–z, 0–9, . _ -",
    staff_need_password: "Enter your password",
    staff_login_failed: "Wrong username or password",
    staff_forbidden: "This account may not do that",
    role_operator: "Operator",
    role_merchant: "Merchant",
    staff_nav: "Sections",
    ops_members: "Members",
    ops_sales_list: "Flash sales",
    ops_audit: "Audit log",
    ops_find: "Find a member (ID or name)",
    ops_no_members: "No member found",
    ops_pick_member: "Pick a member to see the details",
    ops_member_missing: "No such member",
    ops_frozen: "Frozen",
    ops_freeze: "Freeze account",
    ops_unfreeze: "Unfreeze",
    ops_need_reason: "Enter a reason",
    ops_balance: "Balance",
    ops_lots: "Point lots",
    ops_history: "Recent point activity",
    ops_member_orders: "Orders",
    ops_codes: "Codes",
    ops_none: "None",
    ops_from: "From",
    ops_to: "To",
    ops_show: "Show",
    ops_cancelled: "Cancelled",
    ops_edit: "Edit",
    ops_save: "Save",
    ops_saved: "Saved",
    ops_cancel_sale: "Cancel sale",
    ops_keep: "Keep it",
    ops_sale_cancelled: "Sale cancelled",
    ops_no_sales: "No sales on these days",
    ops_starts: "Starts",
    ops_ends: "Ends",
    ops_merchant: "Merchant",
    ops_offer: "Offer",
    load_more: "Load more",
    ops_no_audit: "No staff actions yet",
    audit_before: "Before",
    audit_after: "After",
    sale_started: "The sale has started; it can no longer be changed",
    sale_cancelled: "This sale was cancelled",
    code_other_merchant: "This code belongs to another merchant",
    frozen_prefix: "Your account is frozen: ",
    ops_pick_merchant: "Choose a merchant",
    ops_items: "Items",
    items_active: "On sale",
    items_retired: "Retired",
    items_filter: "Item status",
    item_new: "New item",
    item_edit: "Edit item",
    item_name_zh: "Name (Chinese)",
    item_name_en: "Name (English)",
    item_desc_zh: "Description (Chinese)",
    item_desc_en: "Description (English)",
    item_category: "Category",
    item_kind: "Kind",
    item_points: "Points",
    item_cash: "Cash part (¥, optional)",
    item_limit: "Per member",
    item_min_tier: "Lowest tier",
    item_any_tier: "Any tier",
    item_stock: "Starting stock",
    item_spec_label_zh: "Label (Chinese)",
    item_spec_label_en: "Label (English)",
    item_spec_value_zh: "Value (Chinese)",
    item_spec_value_en: "Value (English)",
    item_add_spec: "Add a spec",
    item_remove: "Remove",
    item_upload: "Upload (PNG / JPEG / WebP, ≤ 512 kB)",
    item_uploading: "Uploading…",
    item_uploaded: "Image uploaded",
    item_image_type: "Only PNG, JPEG or WebP images",
    item_image_big: "The image must be 512 kB or less",
    item_need_image: "Upload an image",
    item_need_category: "Choose a category",
    item_create: "Create item",
    item_created: "Created: members see it now",
    item_retire: "Retire",
    item_unretire: "Put back on sale",
    item_retired_ok: "Retired: members no longer see it",
    item_back_ok: "Back on sale",
    item_stock_change: "Change stock",
    item_delta: "Units (+ in, − out)",
    item_stock_reason: "Reason (for the audit log)",
    item_stock_low: "Stock cannot go below zero",
    item_no_items: "No items",
    item_err_text: "Names in both languages (1–60 characters); descriptions up to 2,000",
    item_err_numbers: "Points 1–10,000,000, cash above 0, per member at least 1, stock not negative",
    item_err_specs: "At most 20 specs, each with a label in both languages",
    item_err_image: "The image must be an uploaded one",
    orders_search: "Search (order, member, item, tracking no.)",
    orders_csv: "Export CSV",
    orders_none: "No orders match",
    orders_status: "Order status",
    order_member: "Member",
    order_ship_to: "Ship to",
    order_ship: "Ship",
    order_carrier: "Carrier",
    order_tracking: "Tracking no.",
    order_deliver: "Mark delivered",
    order_cancel: "Cancel order",
    order_cancel_reason: "Reason (the member sees it)",
    order_cancel_confirm: "Cancel it (points and stock go back)",
    order_bad_ship: "Enter a carrier and a 4–40 character tracking no. (letters, digits, -)",
    order_shop_cancelled: "Cancelled by the shop: ",
    addr_title: "Addresses",
    addr_add: "Add an address",
    addr_edit: "Edit",
    addr_delete: "Delete",
    addr_delete_confirm: "Delete this address?",
    addr_default: "Default",
    addr_set_default: "Make default",
    addr_make_default: "Make it the default",
    addr_name: "Recipient",
    addr_phone: "Phone",
    addr_region: "Region (province, city, district)",
    addr_detail: "Street and number",
    addr_save: "Save address",
    addr_empty: "No addresses yet: add one before redeeming goods",
    addr_bad_name: "Enter a recipient (1–30 characters)",
    addr_bad_phone: "Enter a valid phone number (5–20 digits)",
    addr_bad_place: "Enter the region (≤ 60) and street (≤ 120 characters)",
    addr_full: "At most 20 addresses: delete one first",
    addr_pick: "Ship to",
    addr_need: "Choose an address",
    addr_first: "Goods need an address: add one",
    ops_stats: "Statistics",
    stats_points: "Points in and out",
    stats_activity: "Activity",
    stats_issued: "Issued",
    stats_taken_back: "Taken back",
    stats_spent: "Spent",
    stats_returned: "Returned",
    stats_expired: "Expired",
    stats_opening: "Opening points",
    stats_closing: "Closing points",
    stats_outstanding: "Outstanding now",
    stats_liability: "Liability",
    stats_active: "Active members",
    stats_rate: "Check-in rate",
    stats_checkins: "Check-ins",
    stats_redemptions: "Redemptions",
    stats_codes: "Codes issued",
    stats_verified: "Verified",
    stats_day: "Day",
    stats_total: "Total",
    stats_top_items: "Top items",
    stats_merchants: "Verified / issued per merchant",
    ops_staff: "Staff accounts",
    staff_list_heading: "All accounts",
    staff_no_accounts: "No staff accounts yet",
    staff_you: " (you)",
    staff_disabled: "Disabled",
    staff_new: "New account",
    staff_display_name: "Display name (optional)",
    staff_role: "Role",
    staff_initial_password: "First password (at least 10 characters)",
    staff_create: "Create account",
    staff_pick: "Pick an account to disable it, change its role or set a new password",
    staff_disable: "Disable account",
    staff_enable: "Enable again",
    staff_disable_note: "Disabling signs the account out at once and stops it signing in",
    staff_now_disabled: "Disabled: the account is signed out",
    staff_now_enabled: "Enabled: the account can sign in",
    staff_change_role: "Role and merchant",
    staff_set_password: "Set a new password",
    staff_set_password_note: "For a forgotten password: every session of the account ends at once",
    staff_password_set: "New password set: the account signs in again with it",
    staff_password_short: "A password needs at least 10 characters",
    staff_username_taken: "That username is taken: choose another",
    staff_own_account: "You cannot disable or demote your own account",
    staff_not_accepted: "Not accepted: a username is 3–32 of a-z, 0-9, . _ -; a password has at least 10 characters; a merchant account needs an existing merchant and an operator has none",
    staff_account_missing: "That account no longer exists: reload the list",
    staff_created_at: "Created",
    staff_my_password: "Change my password",
    staff_current_password: "Current password",
    staff_new_password: "New password (at least 10 characters)",
    staff_repeat_password: "New password again",
    staff_passwords_differ: "The two new passwords differ",
    staff_password_unchanged: "The new password must differ from the current one",
    staff_password_changed: "Password changed: your other sessions were signed out",
    staff_current_wrong: "The current password is wrong",
    staff_current_wrong_or_short: "The current password is wrong, or the new one is too short (at least 10 characters)",
    item_cash_unavailable: "This shop cannot take the cash part yet, so this item cannot be redeemed",
    staff_name: "Display name",
    staff_own_note: "This is your own account: it cannot be disabled or demoted here; change your password with “Change my password” at the top",
};

/// The language the current view was built in. The app rebuilds the whole view when
/// the language changes, so pages read it once instead of keeping a reactive closure
/// per string (each closure is code in the wasm a phone downloads).
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::Zh)
}

/// The signal the language switch writes.
pub fn use_lang_switch() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}
