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

/// `format!` in a language: the Chinese and the English side by side, sharing the arguments
/// (`tr!(lang, "{n} 件", "{n} left")`; positional `{0}` where the orders differ).
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh $(, $arg)*),
            Lang::En => format!($en $(, $arg)*),
        }
    };
}

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

    /// The Chinese or the English text, side by side.
    pub const fn zh_en(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
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
        tr!(self, "{}及以上专享", "{}+ only", self.tier(tier))
    }

    /// `N 积分将于 DATE 过期`.
    pub fn expiring(self, n: i64, date: &str) -> String {
        tr!(self, "{} 积分将于 {date} 过期", "{} pts expire on {date}", group_thousands(n))
    }

    /// `距钻石还差 N 成长值`.
    pub fn to_next_tier(self, tier: Tier, growth_left: i64) -> String {
        tr!(self, "距{0}还差 {1} 成长值", "{1} growth to {0}", self.tier(tier), group_thousands(growth_left))
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
        tr!(self, "剩 {} 件", "{} left", group_thousands(n))
    }

    /// `每人限兑 N 件，你已兑 M 件`.
    pub fn limit_line(self, limit: i64, mine: i64) -> String {
        if mine == 0 {
            tr!(self, "每人限兑 {limit} 件", "Limit {limit} per member")
        } else {
            tr!(self, "每人限兑 {limit} 件，你已兑 {mine} 件", "Limit {limit} per member, you have {mine}")
        }
    }

    /// `积分不足，还差 N 积分`.
    pub fn short_by(self, n: i64) -> String {
        tr!(self, "积分不足，还差 {} 积分", "Not enough points: {} short", group_thousands(n))
    }

    /// `余额 N`.
    pub fn balance_after_entry(self, n: i64) -> String {
        tr!(self, "余额 {}", "Balance {}", group_thousands(n))
    }

    /// A history kind's title.
    pub fn entry_kind(self, kind: EntryKind) -> &'static str {
        match kind {
            EntryKind::Register => self.zh_en("注册奖励", "Welcome bonus"),
            EntryKind::Checkin => self.zh_en("每日签到", "Daily check-in"),
            EntryKind::Task => self.zh_en("任务奖励", "Task reward"),
            EntryKind::Purchase => self.zh_en("购物返积分", "Purchase points"),
            EntryKind::Invite => self.zh_en("邀请好友", "Invite reward"),
            EntryKind::Refund => self.zh_en("订单取消退回", "Order refund"),
            EntryKind::Adjustment => self.zh_en("积分调整", "Adjustment"),
            EntryKind::Redeem => self.zh_en("兑换商品", "Redeemed"),
            EntryKind::FlashSale => self.zh_en("秒杀兑换", "Flash sale"),
            EntryKind::Makeup => self.zh_en("补签", "Make-up check-in"),
            EntryKind::Expire => self.zh_en("积分过期", "Points expired"),
            EntryKind::DeductionHold => self.zh_en("积分抵扣（冻结）", "Held at checkout"),
            EntryKind::DeductionRelease => self.zh_en("积分抵扣取消退回", "Checkout hold released"),
            EntryKind::DeductionRefund => self.zh_en("积分抵扣退款", "Checkout refund"),
            EntryKind::PurchaseReversal => self.zh_en("购物退款扣回", "Purchase refunded"),
            EntryKind::Donation => self.zh_en("积分捐赠", "Donation"),
            EntryKind::LotteryDraw => self.zh_en("积分抽奖", "Lottery draw"),
            EntryKind::LotteryPrize => self.zh_en("抽奖奖品", "Lottery prize"),
            EntryKind::Birthday => self.zh_en("生日礼", "Birthday gift"),
            EntryKind::Campaign => self.zh_en("活动奖励", "Campaign bonus"),
        }
    }

    /// An order status.
    pub fn order_status(self, status: OrderStatus) -> &'static str {
        match status {
            OrderStatus::Fulfilled => self.zh_en("已发放", "Issued"),
            OrderStatus::Pending => self.zh_en("待发货", "To ship"),
            OrderStatus::Shipped => self.zh_en("已发货", "Shipped"),
            OrderStatus::Delivered => self.zh_en("已签收", "Delivered"),
            OrderStatus::Cancelled => self.zh_en("已取消", "Cancelled"),
            OrderStatus::AwaitingPayment => self.zh_en("待付款", "Awaiting payment"),
            OrderStatus::Lapsed => self.zh_en("已过期", "Lapsed"),
        }
    }

    /// `签到成功 +20 积分（早鸟双倍）（含活动 +10）`: the points, campaign bonus included, and
    /// what they came from.
    pub fn checkin_toast(self, points: i64, early_bird: bool, bonus: i64) -> String {
        let all = points + bonus;
        let mut said = tr!(self, "签到成功 +{all} 积分", "Checked in: +{all} pts");
        if early_bird {
            said += self.zh_en("（早鸟双倍）", " (early-bird double)");
        }
        if bonus > 0 {
            said += &tr!(self, "（含活动 +{bonus}）", " (incl. +{bonus} campaign bonus)");
        }
        said
    }

    /// `明日签到可得 10 积分`.
    pub fn tomorrow_reward(self, n: i64) -> String {
        tr!(self, "明日签到可得 {n} 积分", "Tomorrow: +{n} pts")
    }

    /// `今日签到可得 5 积分`.
    pub fn today_reward(self, n: i64) -> String {
        tr!(self, "今日签到可得 {n} 积分", "Check in today: +{n} pts")
    }

    /// `每天 00:00 重置`.
    pub fn resets_at(self, time: &str) -> String {
        tr!(self, "签到日在你的当地时间 {time} 重置", "The day resets at {time} your time")
    }

    /// `第 3 天`.
    pub fn day_n(self, n: i64) -> String {
        tr!(self, "第{n}天", "Day {n}")
    }

    /// `连签 3 天`.
    pub fn streak_days(self, n: i64) -> String {
        tr!(self, "连签 {n} 天", "{n}-day streak")
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
        match state {
            Checked => self.zh_en("已签到", "checked in"),
            MadeUp => self.zh_en("已补签", "made up"),
            Missed => self.zh_en("漏签，可补签", "missed, can be made up"),
            Today => self.zh_en("今天", "today"),
            Future => self.zh_en("未到", "upcoming"),
            Past => self.zh_en("已过", "past"),
        }
    }

    /// The make-up rule under the calendar.
    pub fn makeup_hint(self, cost: i64, free_left: i64, left: i64) -> String {
        tr!(
            self,
            "点漏签日期可补签：每次 {cost} 积分（本月免费 {free_left} 次），本月还可补签 {left} 次",
            "Tap a missed day to make it up: {cost} pts each ({free_left} free left), {left} left this month"
        )
    }

    /// `补签 2026-11-20，连签不中断`.
    pub fn makeup_line(self, date: &str) -> String {
        tr!(self, "补签 {date}，连续签到将被修复", "Make up {date} and repair your streak")
    }

    /// `成长值 5,000 起`.
    pub fn growth_from(self, n: i64) -> String {
        tr!(self, "成长值 {} 起", "from {} growth", group_thousands(n))
    }

    /// A tier's perks in words.
    pub fn perk_lines(self, p: &mall_core::rules::TierPerks) -> Vec<String> {
        let mut lines = vec![tr!(self, "购物积分 ×{}", "×{} purchase points", p.multiplier)];
        if p.free_makeups > 0 {
            lines.push(tr!(self, "每月免费补签 {} 次", "{} free make-ups a month", p.free_makeups));
        }
        if p.tier_items {
            lines.push(self.zh_en("专享商品", "tier-only rewards").into());
        }
        if p.early_sale_minutes > 0 {
            lines.push(tr!(self, "秒杀提前 {} 分钟", "flash sales {} min early", p.early_sale_minutes));
        }
        lines
    }

    /// What a task claim gave, or why nothing.
    pub fn award_line(self, award: &mall_core::earning::Award) -> String {
        use mall_core::earning::CapReason::*;
        match award.reason {
            None => tr!(self, "+{} 积分", "+{} pts", award.awarded),
            Some(TaskDailyCap) => self.zh_en("今天这个任务的奖励已领完", "That task's rewards for today are used up").into(),
            Some(DailyTaskCap) => self.zh_en("今日任务奖励已达上限", "You've reached today's task reward limit").into(),
            Some(LifetimeCap) => self.zh_en("这个任务的奖励已全部领取", "You've collected everything this task pays").into(),
            Some(MonthlyInviteCap) => self.zh_en("本月邀请奖励已达上限", "This month's invite rewards are used up").into(),
        }
    }

    /// Where the birthday gift stands; `None` when the shop gives none.
    pub fn birthday_gift_line(self, gift: &mall_core::profile::BirthdayGift) -> Option<String> {
        use mall_core::profile::GiftState;
        let (p, next) = (gift.points, gift.next_on.clone().unwrap_or_default());
        (p > 0).then(|| match gift.state {
            GiftState::None => tr!(self, "填写生日，每年生日可领 {p} 积分", "Add your birthday for {p} pts on it every year"),
            GiftState::Ready => tr!(self, "生日快乐！生日礼 {p} 积分等你领取", "Happy birthday! Your gift of {p} pts is waiting"),
            GiftState::Taken => tr!(self, "今年的生日礼已领取，下次：{next}", "This year's gift is taken; next on {next}"),
            GiftState::Later => tr!(self, "生日礼 {p} 积分，{next} 可领", "Birthday gift: {p} pts on {next}"),
        })
    }

    /// A save that completed the profile: `资料已完善：+20 积分`.
    pub fn profile_completed(self, points: i64) -> String {
        tr!(self, "资料已完善：+{points} 积分", "Profile complete: +{points} pts")
    }

    /// `今日还可领 11 次任务奖励`.
    pub fn tasks_left(self, n: i64) -> String {
        tr!(self, "今日还可领 {n} 次任务奖励", "{n} task rewards left today")
    }

    /// A task's name.
    pub fn task_name(self, task: &str) -> String {
        match task {
            "share" => self.zh_en("分享商品", "Share a reward").into(),
            "review" => self.zh_en("写评价", "Write a review").into(),
            "profile" => self.zh_en("完善资料", "Complete your profile").into(),
            other => other.to_string(),
        }
    }

    /// What is left of a task's caps.
    pub fn task_caps(self, t: &mall_core::earning::TaskStatus) -> String {
        let mut parts = Vec::new();
        if let Some(left) = t.left_today {
            parts.push(tr!(self, "今日剩 {left} 次", "{left} left today"));
        }
        if let Some(left) = t.lifetime_points_left {
            parts.push(tr!(self, "累计还可得 {left} 积分", "{left} pts left in all"));
        }
        if !t.claimable && parts.is_empty() {
            parts.push(self.zh_en("已完成", "Done").into());
        }
        parts.join(" · ")
    }

    /// `+5 积分`.
    pub fn points_plus(self, n: i64) -> String {
        format!("+{}", self.points(n))
    }

    /// `已邀请 3 人，2 人已到账`.
    pub fn invite_line(self, accepted: i64, credited: i64) -> String {
        tr!(self, "已邀请 {accepted} 人，{credited} 人首单后已到账", "{accepted} invited, {credited} credited after their first purchase")
    }

    /// `已取消，990 积分已退回`.
    pub fn refund_line(self, points: i64) -> String {
        tr!(self, "已取消，{} 积分已退回", "Cancelled: {} pts returned", group_thousands(points))
    }

    /// `请在 14:59 内付款`, the time left to pay an order awaiting its cash.
    pub fn pay_left(self, h: u32, m: u32, s: u32) -> String {
        let left = if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") };
        tr!(self, "请在 {left} 内付款", "Pay within {left}")
    }

    /// `去付款 ¥9.90`.
    pub fn pay_amount(self, cash: Option<mall_core::cash::Cash>) -> String {
        let amount = cash.map(mall_core::format::yuan).unwrap_or_default();
        tr!(self, "去付款 {amount}", "Pay {amount} now")
    }

    /// `已付款 11-23 16:30`.
    pub fn paid_at(self, rfc3339: &str) -> String {
        tr!(self, "已付款 {}", "Paid {}", short_time(rfc3339))
    }

    /// `990 积分已退回`.
    pub fn points_back(self, points: i64) -> String {
        tr!(self, "{} 积分已退回", "{} pts returned", group_thousands(points))
    }

    /// `收入 +1,200 支出 -290` (a zero side is left out).
    pub fn month_totals(self, income: i64, spending: i64) -> String {
        let (inn, out) = (self.zh_en("收入", "In"), self.zh_en("支出", "Out"));
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
        tr!(self, "{day} 获得 {}", "Earned {} on {day}", group_thousands(amount))
    }

    /// Home's chip: `N 积分待到账`.
    pub fn pending(self, n: i64) -> String {
        tr!(self, "{} 积分待到账", "{} pts on the way", group_thousands(n))
    }

    /// `每次 50 积分 · 今日还可抽 5 次（每天 5 次）`.
    pub fn lottery_meta(self, cost: i64, left: i64, per_day: i64) -> String {
        tr!(
            self,
            "每次 {} 积分 · 今日还可抽 {left} 次（每天 {per_day} 次）",
            "{} pts a draw · {left} of {per_day} draws left today",
            group_thousands(cost)
        )
    }

    /// What the mall pays per verified code.
    pub fn settlement_value(self, yuan: &str) -> String {
        tr!(self, "每核销一张结算 ¥{yuan}", "¥{yuan} per verified code")
    }

    /// A prize's stock.
    pub fn prize_left(self, n: i64) -> String {
        tr!(self, "剩余 {}", "{} left", group_thousands(n))
    }

    /// The draw button.
    pub fn draw_button(self, cost: i64) -> String {
        tr!(self, "抽一次（{} 积分）", "Draw ({} pts)", group_thousands(cost))
    }

    /// A won prize.
    pub fn prize_won(self, name: &str) -> String {
        tr!(self, "恭喜！抽中 {name}", "You won {name}!")
    }

    /// Draws left after a draw.
    pub fn draws_left(self, n: i64) -> String {
        tr!(self, "今日还可抽 {n} 次", "{n} draws left today")
    }

    /// A cause's progress: `已筹 12,300 / 500,000 积分`.
    pub fn cause_raised(self, raised: i64, target: i64) -> String {
        tr!(self, "已筹 {} / {} 积分", "{} of {} pts raised", group_thousands(raised), group_thousands(target))
    }

    /// What the member gave a cause.
    pub fn cause_given(self, points: i64) -> String {
        tr!(self, "我已捐 {} 积分", "I gave {} pts", group_thousands(points))
    }

    /// The donate sheet's balance line.
    pub fn donate_after(self, balance: i64) -> String {
        tr!(self, "捐赠后余额 {} 积分", "Balance after: {} pts", group_thousands(balance))
    }

    /// The minimum donation.
    pub fn donate_min(self, min: i64) -> String {
        tr!(self, "每次至少捐赠 {min} 积分", "Give at least {min} pts")
    }

    /// The donate button with its amount.
    pub fn donate_button(self, points: i64) -> String {
        tr!(self, "确认捐赠 {} 积分", "Give {} pts", group_thousands(points))
    }

    /// The thank-you toast.
    pub fn donated(self, points: i64) -> String {
        tr!(self, "感谢！已捐赠 {} 积分", "Thank you! {} pts given", group_thousands(points))
    }

    /// What "copy" puts on the clipboard for a friend: the code and the share link.
    pub fn invite_share(self, code: &str, link: &str) -> String {
        tr!(
            self,
            "我在积分商城等你！打开 {link} 登录即可使用我的邀请码，或在「我的」填写邀请码 {code}，首次购物后我们都得积分。",
            "Join me at the points mall: open {link} and sign in to use my invite code, or enter {code} under Me; we both earn points after your first purchase."
        )
    }

    /// A pending purchase's line: `2026-12-08 到账`.
    pub fn arrives_on(self, settles_at: &str) -> String {
        let day = settles_at.get(..10).unwrap_or(settles_at);
        tr!(self, "{day} 到账", "arrive {day}")
    }

    /// The shortfall note in the history.
    pub fn shortfall(self, n: i64) -> String {
        tr!(
            self,
            "退款未能扣回的 {} 积分，将从之后获得的积分中先行抵扣",
            "{} pts a refund could not take back will come out of the next points you earn",
            group_thousands(n)
        )
    }

    /// The live notice: `+120 积分已到账 · 余额 8,715`.
    pub fn points_arrived(self, delta: i64, balance: i64) -> String {
        tr!(self, "+{} 积分已到账 · 余额 {}", "+{} points arrived · balance {}", group_thousands(delta), group_thousands(balance))
    }

    /// `2026-12-06 过期`.
    pub fn expires_on(self, date: &str) -> String {
        tr!(self, "{date} 过期", "expires {date}")
    }

    /// Operator result line.
    pub fn ops_adjusted(self, member: i64, amount: i64, balance: i64) -> String {
        tr!(self, "会员 {member} 调整 {amount:+}，余额 {}", "Member {member}: {amount:+}, balance {}", group_thousands(balance))
    }

    /// A slot's state label.
    pub fn slot_state(self, state: mall_core::sales::SaleState) -> &'static str {
        use mall_core::sales::SaleState::*;
        match state {
            Upcoming => self.zh_en("即将开始", "Soon"),
            Live => self.zh_en("抢购中", "Live"),
            SoldOut => self.zh_en("已抢光", "Sold out"),
            Ended => self.zh_en("已结束", "Ended"),
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
        let s = match (state, reminded) {
            (Upcoming, false) => self.zh_en("即将开始 · 提醒我", "Remind me"),
            (Upcoming, true) => self.zh_en("已设提醒", "Reminder set"),
            (Live, _) => self.zh_en("立即抢", "Grab now"),
            (SoldOut, _) => self.zh_en("已抢光", "Sold out"),
            (Ended, _) => self.zh_en("已结束", "Ended"),
        };
        s.to_string()
    }

    /// `已抢 60%`.
    pub fn taken(self, pct: i64) -> String {
        tr!(self, "已抢 {pct}%", "{pct}% taken")
    }

    /// Toast after a grab.
    pub fn grabbed(self, code: &str) -> String {
        tr!(self, "抢到了！已放入「我的券码」\n{code}", "Got it! Saved to My codes\n{code}")
    }

    /// Toast when a reminded sale opens.
    pub fn sale_opened(self, offer: &str) -> String {
        tr!(self, "{offer} 开抢了", "{offer} is open now")
    }

    /// `在 星巴克 使用`.
    pub fn use_at(self, merchant: &str) -> String {
        tr!(self, "适用门店：{merchant}", "Use at {merchant}")
    }

    /// `有效期至 2026-12-23`.
    pub fn valid_until(self, rfc3339: &str) -> String {
        let day = rfc3339.get(..10).unwrap_or(rfc3339);
        tr!(self, "有效期至 {day}", "Valid until {day}")
    }

    /// `使用于 11-23 16:30`.
    pub fn used_at(self, rfc3339: &str) -> String {
        let when = short_time(rfc3339);
        tr!(self, "使用于 {when}", "used {when}")
    }

    /// The QR image's accessible name.
    pub fn qr_label(self, code: &str) -> String {
        tr!(self, "券码 {code} 的二维码", "QR code of {code}")
    }

    /// A code of the member's a merchant used while the wallet was open.
    pub fn code_just_used(self, code: &str) -> String {
        tr!(self, "券码 {code} 已核销", "Code {code} has just been used")
    }

    /// A verified code's detail line.
    pub fn verified(self, code: &str, offer: &str) -> String {
        format!("{code} · {offer}")
    }

    /// Sales scheduled, by their slots: `已创建 2 场：11-24 10:00、20:00`.
    pub fn scheduled(self, day: &str, slots: &[String]) -> String {
        let day = day.get(5..).unwrap_or(day);
        tr!(self, "已创建 {} 场：{day} {}", "Scheduled {} slot(s): {day} {}", slots.len(), slots.join(self.zh_en("、", ", ")))
    }

    /// Why a typed code is not a code.
    pub fn code_error(self, e: mall_core::code::CodeError) -> &'static str {
        use mall_core::code::CodeError::*;
        match e {
            WrongLength => self.zh_en("兑换码为 12 位", "A code has 12 characters"),
            BadCharacter => self.zh_en("含有无效字符（不含 0、1、I、L、O）", "Contains a character codes never use (0, 1, I, L, O)"),
            BadCheck => self.zh_en("校验位不符，可能输错了一位", "Looks like a typo: the check character does not match"),
        }
    }

    /// Why a schedule is refused, in the operator's language.
    pub fn schedule_error(self, e: mall_core::sales::ScheduleError) -> &'static str {
        use mall_core::sales::ScheduleError::*;
        match e {
            MissingName => self.zh_en("请填写中英文商品名称", "Enter the offer name in both languages"),
            NotPositive => self.zh_en("积分、每人限抢和有效天数须大于 0", "Price, per-member limit and validity must be above 0"),
            Quantity => self.zh_en("每场数量须在 1 到 1,000,000 之间", "Codes per slot: 1 to 1,000,000"),
            EndBeforeStart => self.zh_en("结束时间须晚于开始时间", "The sale must end after it starts"),
            Length => self.zh_en("每场时长须在 1 到 1,440 分钟之间", "Minutes per slot: 1 to 1,440"),
            Slots => self.zh_en("请至少选择一个场次，且不要重复", "Choose at least one slot, each once"),
            Day => self.zh_en("请选择日期", "Choose a day"),
        }
    }

    /// What a failure means for the member, and what to do next.
    pub fn failure(self, failure: &ApiFailure) -> String {
        match failure {
            ApiFailure::Offline => self.t().offline.to_string(),
            ApiFailure::Server(_) | ApiFailure::Aborted => self.t().server_error.to_string(),
            ApiFailure::Refused { code, message, .. } => self.refusal(*code).map_or_else(|| message.clone(), Into::into),
        }
    }

    /// A refusal in the member's words, for the codes the first visit can meet (Home, the
    /// shell, the check-in button, any page's loading state); `None` for the rest (the
    /// server's message is shown instead). Every word here is in the first visit: a refusal
    /// only a lazy page meets goes in `page_refusal`.
    pub fn refusal(self, code: ErrorCode) -> Option<&'static str> {
        Some(match code {
            ErrorCode::ItemNotFound => self.zh_en("商品不存在或已下架", "This item is no longer available"),
            ErrorCode::NotFound => self.zh_en("没有找到，可能已结束或不存在", "Not found: it may have ended or never existed"),
            ErrorCode::Unauthorized => self.zh_en("登录已失效，请重新登录", "Your session ended; please log in again"),
            ErrorCode::RateLimited => self.zh_en("操作太频繁，请稍后再试", "Too many tries; wait a moment"),
            ErrorCode::Forbidden => self.zh_en("没有权限，请检查核销口令", "Not allowed; check the credential"),
            ErrorCode::Internal | ErrorCode::Unavailable => self.t().server_error,
            _ => return None,
        })
    }
}

/// Words only lazy pages use: only chunk code calls these, so their strings go with the chunks.
impl Lang {
    /// What a lazy page says about a failure: `failure`'s words, plus the refusals only
    /// lazy pages meet (`page_refusal`). Only chunk code calls it: none of its words are in
    /// the first visit.
    pub fn page_failure(self, failure: &ApiFailure) -> String {
        match failure {
            ApiFailure::Refused { code, message, details, .. } => self.page_refusal(*code, details).unwrap_or_else(|| message.clone()),
            _ => self.failure(failure),
        }
    }

    /// `refusal`, plus the refusals only lazy pages meet (redeeming, make-ups, orders, sales,
    /// codes, a frozen account with the operator's reason), with their facts (when, by whom)
    /// where the server gave them.
    pub fn page_refusal(self, code: ErrorCode, details: &ErrorDetails) -> Option<String> {
        let at = details.at.as_deref().map(short_time);
        let s = match code {
            ErrorCode::CodeUsed => {
                let (at, by) = (at.unwrap_or_default(), details.by.clone().unwrap_or_default());
                return Some(tr!(
                    self,
                    "已于 {at} 在 {by} 核销，每个券码只能用一次",
                    "Already redeemed at {by} on {at}. Each code works only once."
                ));
            }
            ErrorCode::CodeExpired if at.is_some() => {
                let at = at.unwrap_or_default();
                return Some(tr!(self, "兑换码已于 {at} 过期", "This code expired {at}"));
            }
            ErrorCode::SaleNotStarted if at.is_some() => {
                let at = at.unwrap_or_default();
                return Some(tr!(self, "还没开抢，{at} 开始", "Not open yet; opens {at}"));
            }
            ErrorCode::MemberFrozen => return Some(format!("{}{}", self.p().frozen_prefix, details.reason.as_deref().unwrap_or_default())),
            ErrorCode::SaleCancelled => self.p().sale_cancelled,
            ErrorCode::OutOfStock => self.zh_en("已兑完，库存不足", "Out of stock"),
            ErrorCode::LimitReached => self.zh_en("已达到每人兑换上限", "You have reached the limit for this item"),
            ErrorCode::InsufficientPoints => self.zh_en("积分不足", "Not enough points"),
            ErrorCode::TierLocked => self.zh_en("会员等级不足，升级后可兑换", "Your tier is too low for this item"),
            ErrorCode::AlreadyCheckedIn => self.zh_en("这一天已签到", "That day is already checked in"),
            ErrorCode::MakeupLimitReached => self.zh_en("本月补签次数已用完", "No make-ups left this month"),
            ErrorCode::MakeupNotAllowed => self.zh_en("只能补签本月之前的日期", "Only past days of this month can be made up"),
            ErrorCode::NotCancellable => self.zh_en("订单已发货，无法取消", "This order can no longer be cancelled"),
            ErrorCode::SoldOut => self.zh_en("已抢光", "Sold out"),
            ErrorCode::SaleNotStarted => self.zh_en("还没开抢", "Not open yet"),
            ErrorCode::SaleEnded => self.zh_en("秒杀已结束", "This sale has ended"),
            ErrorCode::SaleNotFound => self.zh_en("该场次不存在", "No such sale"),
            ErrorCode::SaleOverlap => self.zh_en("该商品在这个时段已有秒杀场次", "This offer already has a sale in that window"),
            ErrorCode::SaleWindowPassed => self.zh_en("这个时段已经过去了", "That window is already over"),
            ErrorCode::CodeInvalid => self.zh_en("兑换码格式不对，请检查", "That code is not valid; check it"),
            ErrorCode::CodeNotFound => self.zh_en("查无此兑换码", "No such code"),
            ErrorCode::CodeExpired => self.zh_en("兑换码不在有效期内", "This code is not valid at this time"),
            ErrorCode::CodeVoid => self.zh_en("兑换码已作废", "This code was voided"),
            _ => self.refusal(code)?,
        };
        Some(s.to_string())
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

    /// `规则第 3 版，生效于 …`: the version of the rules in force.
    pub fn rules_in_force(self, version: i64, since: &str) -> String {
        tr!(self, "当前生效：第 {version} 版，{since} 起", "In force: version {version}, since {since}")
    }

    /// `已尝试 3 次`.
    pub fn delivery_attempts(self, attempts: i64) -> String {
        tr!(self, "已尝试 {attempts} 次", "{attempts} attempts")
    }

    /// `已保存为第 3 版`.
    pub fn rules_saved(self, version: i64) -> String {
        tr!(self, "已保存为第 {version} 版", "Saved as version {version}")
    }

    /// `排序 1 · 12 件商品`.
    pub fn category_line(self, position: i64, items: i64) -> String {
        tr!(self, "排序 {position} · {items} 件商品", "Order {position} · {items} items")
    }

    /// `每张 ¥2.50 · 赠品每张 ¥0.00`: a merchant's settlement terms.
    pub fn settlement_terms(self, settlement: mall_core::cash::Cash, offers: mall_core::cash::Cash) -> String {
        tr!(self, "每张 ¥{settlement} · 赠品每张 ¥{offers}", "¥{settlement} a code · ¥{offers} a free-offer code")
    }

    /// `作废后退还 990 积分给会员`.
    pub fn void_refund_note(self, points: i64) -> String {
        tr!(
            self,
            "作废后退还 {} 积分给会员，会员在券包里看到原因",
            "Voiding gives the member back {} points; their wallet shows the reason",
            group_thousands(points)
        )
    }

    /// `作废原因：重复下单`, on a voided ticket.
    pub fn voided_because(self, reason: &str) -> String {
        tr!(self, "作废原因：{reason}", "Why: {reason}")
    }

    /// `已创建账号 cafe`.
    pub fn staff_created(self, username: &str) -> String {
        tr!(self, "已创建账号 {username}", "Account {username} created")
    }

    /// `尝试次数过多，请 N 秒后再试`.
    pub fn wait_seconds(self, seconds: u32) -> String {
        tr!(self, "尝试次数过多，请 {seconds} 秒后再试", "Too many tries; wait {seconds} s")
    }

    /// `已抢 3/100 · 已核销 1`.
    pub fn sold_line(self, sold: i64, quantity: i64, verified: i64) -> String {
        tr!(
            self,
            "已抢 {}/{} · 已核销 {}",
            "{}/{} grabbed · {} verified",
            group_thousands(sold),
            group_thousands(quantity),
            group_thousands(verified)
        )
    }

    /// The question before a sale is cancelled.
    pub fn confirm_cancel_sale(self, offer: &str) -> String {
        tr!(
            self,
            "取消「{offer}」？取消后会员不能再抢，已抢到的券码不受影响。",
            "Cancel “{offer}”? Members can no longer grab it; codes already grabbed stay valid."
        )
    }

    /// Why a new lottery is refused (`check_lottery`), in the operator's language.
    pub fn lottery_error(self, e: mall_core::lottery::LotteryError) -> &'static str {
        use mall_core::lottery::{LotteryError::*, OddsError};
        let p = self.p();
        match e {
            Name => p.lottery_err_name,
            Cost => p.lottery_err_cost,
            DrawsPerDay => p.lottery_err_per_day,
            PrizeCount => p.lottery_err_prizes,
            Odds(OddsError::NotPositive) => p.lottery_err_odds_zero,
            Odds(OddsError::AboveCertain) => p.lottery_err_odds_over,
            PrizeShape => p.lottery_err_shape,
            Stock => p.lottery_err_stock,
        }
    }

    /// Why a new cause is refused (`check_cause`), in the operator's language.
    pub fn cause_error(self, e: mall_core::donation::CauseError) -> &'static str {
        use mall_core::donation::CauseError::*;
        let p = self.p();
        match e {
            Name => p.cause_err_name,
            Description => p.cause_err_desc,
            Target => p.cause_err_target,
            Image => p.cause_err_image,
        }
    }

    /// A lottery's terms: `每次 50 积分 · 每人每天 5 次`.
    pub fn lottery_terms(self, cost: i64, per_day: i64) -> String {
        tr!(self, "每次 {} 积分 · 每人每天 {per_day} 次", "{} pts a draw · {per_day} draws a day each", group_thousands(cost))
    }

    /// When a campaign (a lottery, a cause) opened, and closed: `11-23 16:30 – 11-30 09:00`.
    pub fn campaign_dates(self, opened: &str, closed: Option<&str>) -> String {
        match closed {
            Some(closed) => tr!(self, "{} 开始 · {} 结束", "opened {} · closed {}", short_time(opened), short_time(closed)),
            None => tr!(self, "{} 开始", "opened {}", short_time(opened)),
        }
    }

    /// The question before a lottery is closed.
    pub fn confirm_close_lottery(self, name: &str) -> String {
        tr!(
            self,
            "结束「{name}」？会员将不能再抽奖，结束后不能重新开启。",
            "Close “{name}”? Members can no longer draw, and it cannot be opened again."
        )
    }

    /// The question before a cause is closed.
    pub fn confirm_close_cause(self, name: &str) -> String {
        tr!(
            self,
            "结束「{name}」？会员将不能再捐赠，结束后不能重新开启。",
            "Close “{name}”? Members can no longer give to it, and it cannot be opened again."
        )
    }

    /// The create form's warning while a lottery runs.
    pub fn lottery_replaces(self, name: &str) -> String {
        tr!(self, "创建后，正在进行的「{name}」将立即结束。", "Creating this closes “{name}”, which is running now.")
    }

    /// A prize's place in the form: `奖品 2`.
    pub fn prize_n(self, n: usize) -> String {
        tr!(self, "奖品 {n}", "Prize {n}")
    }

    /// The remove button of prize `n`, for screen readers.
    pub fn remove_prize(self, n: usize) -> String {
        tr!(self, "删除奖品 {n}", "Remove prize {n}")
    }

    /// The chance of no prize as the form stands: `未中奖概率 37.5%`.
    pub fn no_prize_chance(self, percent: &str) -> String {
        tr!(self, "未中奖概率 {percent}", "No prize: {percent}")
    }

    /// Odds that add up to more than certain: `中奖概率合计 105%，超过 100%`.
    pub fn odds_over(self, percent: &str) -> String {
        tr!(self, "中奖概率合计 {percent}，超过 100%", "The odds add up to {percent}: over 100%")
    }

    /// A cause's progress in the back office: `已筹 1,200 / 5,000 积分（24%）`.
    pub fn raised_line(self, raised: i64, target: i64, percent: i64) -> String {
        tr!(self, "已筹 {} / {} 积分（{percent}%）", "{} of {} pts raised ({percent}%)", group_thousands(raised), group_thousands(target))
    }

    /// `已冻结：原因（11-23 16:30）`.
    pub fn frozen_line(self, reason: &str, at: Option<&str>) -> String {
        let at = at.map(short_time).unwrap_or_default();
        tr!(self, "已冻结：{reason}（{at}）", "Frozen: {reason} ({at})")
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
        tr!(self, "库存 {} · 已兑 {}", "{} in stock · {} redeemed", group_thousands(stock), group_thousands(redeemed))
    }

    /// `顺丰速运 SF1234567890`.
    pub fn tracking_line(self, carrier: &str, tracking: &str) -> String {
        tr!(self, "{carrier} · 运单号 {tracking}", "{carrier} · tracking no. {tracking}")
    }

    /// A code status in words.
    pub fn code_status(self, s: mall_core::sales::CodeStatus) -> &'static str {
        use mall_core::sales::CodeStatus::*;
        match s {
            Issued => self.zh_en("可使用", "Ready"),
            Used => self.zh_en("已使用", "Used"),
            Expired => self.zh_en("已过期", "Expired"),
            Void => self.zh_en("已作废", "Void"),
        }
    }

    /// `本周 1,234 件`, Home's weekly leaderboard.
    pub fn board_count(self, n: i64) -> String {
        tr!(self, "本周 {} 件", "{} this week", group_thousands(n))
    }

    /// `11-23 16:30`, for staff lists.
    pub fn when(self, rfc3339: &str) -> String {
        short_time(rfc3339)
    }

    /// A campaign's state.
    pub fn campaign_state(self, state: mall_core::campaign::CampaignState) -> &'static str {
        use mall_core::campaign::CampaignState::*;
        let p = self.p();
        match state {
            Scheduled => p.campaign_scheduled,
            Running => p.campaign_open,
            Ended => p.campaign_ended,
        }
    }

    /// Who a campaign is for: `所有会员` / `金卡及以上` / `仅金卡`.
    pub fn audience(self, a: mall_core::campaign::Audience) -> String {
        match a.tier {
            None => self.p().audience_all.to_string(),
            Some(t) if a.exact => tr!(self, "仅{}", "{} only", self.tier(t)),
            Some(t) => tr!(self, "{}及以上", "{} and above", self.tier(t)),
        }
    }

    /// A weekday, 1 (Monday) to 7: `周三` / `Wednesday`.
    pub fn weekday(self, d: u8) -> &'static str {
        const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
        const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        let i = usize::from(d.clamp(1, 7) - 1);
        self.zh_en(ZH[i], EN[i])
    }

    /// A member day: `每周三` / `每月 8 日` / `会员生日`.
    pub fn member_day(self, day: mall_core::campaign::MemberDay) -> String {
        use mall_core::campaign::MemberDay::*;
        match day {
            Weekday(d) => tr!(self, "每{}", "every {}", self.weekday(d)),
            MonthDay(d) => tr!(self, "每月 {d} 日", "day {d} of each month"),
            Birthday => self.p().day_birthday.to_string(),
        }
    }

    /// A campaign's boost as the back office reads it: `×2`, `+50 积分`, `8折`, `−100 积分`.
    pub fn boost(self, target: mall_core::campaign::Target, boost: mall_core::campaign::Boost) -> String {
        use mall_core::campaign::{Boost, Target};
        match (target, boost) {
            (Target::Price, Boost::Percent(p)) => off(self, p),
            (Target::Price, Boost::Points(n)) => format!("−{}", self.points(n)),
            (_, Boost::Percent(p)) => times(p),
            (_, Boost::Points(n)) => self.points_plus(n),
        }
    }

    /// `已用 1,234 / 10,000 积分`.
    pub fn budget_line(self, spent: i64, budget: i64) -> String {
        tr!(self, "已用 {} / {} 积分", "{} / {} pts used", group_thousands(spent), group_thousands(budget))
    }

    /// `发放 12 次`.
    pub fn grants_line(self, grants: i64) -> String {
        match (self, grants) {
            (Lang::En, 1) => "1 grant".to_string(),
            _ => tr!(self, "发放 {} 次", "{} grants", group_thousands(grants)),
        }
    }

    /// The question before a campaign is ended.
    pub fn confirm_end_campaign(self, name: &str) -> String {
        tr!(
            self,
            "结束「{name}」？会员将不再获得活动奖励，已发放的不受影响，结束后不能重新开启。",
            "End “{name}”? Members get no more of its bonus; what it gave stays given, and it cannot be started again."
        )
    }

    /// A running campaign in the member's words: `签到双倍积分`, `每周三签到加送 88 积分`.
    pub fn campaign_offer(self, c: &mall_core::campaign::Campaign) -> String {
        use mall_core::campaign::{Boost, MemberDay, Target};
        let (checkin, purchase) = (self.zh_en("签到", "check-in"), self.zh_en("购物", "purchase"));
        match (c.target, c.boost()) {
            (Target::Checkin | Target::Purchase, Boost::Percent(200)) => {
                let what = if c.target == Target::Checkin { checkin } else { purchase };
                tr!(self, "{what}双倍积分", "Double {what} points")
            }
            (Target::Checkin | Target::Purchase, Boost::Percent(p)) => {
                let what = if c.target == Target::Checkin { checkin } else { purchase };
                tr!(self, "{what}积分 {}", "{what} points {}", times(p))
            }
            (Target::Checkin, Boost::Points(n)) => tr!(self, "签到加送 {n} 积分", "+{n} pts with each check-in"),
            (Target::Purchase, Boost::Points(n)) => tr!(self, "购物加送 {n} 积分", "+{n} pts on each purchase"),
            (Target::Price, Boost::Percent(p)) => tr!(self, "指定商品 {}", "Selected rewards {}", off(self, p)),
            (Target::Price, Boost::Points(n)) => tr!(self, "指定商品立减 {n} 积分", "{n} pts off selected rewards"),
            (Target::MemberDay, Boost::Percent(_) | Boost::Points(_)) => {
                let n = c.points.unwrap_or(0);
                match c.member_day {
                    Some(MemberDay::Birthday) => tr!(self, "生日当天签到加送 {n} 积分", "On your birthday: +{n} pts with your check-in"),
                    Some(day) => tr!(self, "{}签到加送 {n} 积分", "+{n} pts with your check-in, {}", self.member_day(day)),
                    None => self.points_plus(n),
                }
            }
        }
    }
}

/// A multiplier in percent: `×2`, `×1.5`, `×1.25`.
fn times(p: i64) -> String {
    let (whole, part) = (p / 100, p % 100);
    match part {
        0 => format!("×{whole}"),
        x if x % 10 == 0 => format!("×{whole}.{}", x / 10),
        x => format!("×{whole}.{x:02}"),
    }
}

/// A price multiplier below 100%: `8折` / `20% off` (`85折` → `8.5折`).
fn off(lang: Lang, p: i64) -> String {
    match lang {
        Lang::Zh if p % 10 == 0 => format!("{}折", p / 10),
        Lang::Zh => format!("{}.{}折", p / 10, p % 10),
        Lang::En => format!("{}% off", 100 - p),
    }
}

/// `2026-11-23T16:30:00+08:00` → `11-23 16:30`, the shop-time form used in sentences.
fn short_time(rfc3339: &str) -> String {
    format!("{} {}", rfc3339.get(5..10).unwrap_or(""), rfc3339.get(11..16).unwrap_or(""))
}

/// Declares a string table: each key once, with its Chinese and its English side by side
/// (a key without both does not compile), as a struct of `&'static str` fields and its
/// two `static` tables, one per language.
macro_rules! texts {
    ($(#[$attr:meta])* $name:ident, $zh:ident, $en:ident { $($key:ident: $zh_text:literal, $en_text:literal;)* }) => {
        $(#[$attr])*
        #[allow(missing_docs)]
        pub struct $name {
            $(pub $key: &'static str,)*
        }

        static $zh: $name = $name { $($key: $zh_text,)* };
        static $en: $name = $name { $($key: $en_text,)* };
    };
}

texts! {
    /// The fixed strings of one language that the shell and Home show.
    Texts, ZH, EN {
        app_name: "积分商城", "Points Mall";
        already_checked_in: "今日已签到", "Already checked in today";
        pts: "积分", "pts";
        tab_home: "首页", "Home";
        tab_catalog: "兑换", "Rewards";
        tab_checkin: "签到", "Check-in";
        tab_history: "明细", "History";
        tab_me: "我的", "Me";
        tier_member: "普通会员", "Member";
        tier_silver: "银卡", "Silver";
        tier_gold: "金卡", "Gold";
        tier_diamond: "钻石", "Diamond";
        my_points: "我的积分", "My points";
        hot_items: "热门兑换", "Popular rewards";
        see_all: "查看全部", "See all";
        go_redeem: "去兑换", "Redeem";
        all: "全部", "All";
        affordable: "我能兑换", "I can afford";
        search: "搜索", "Search";
        sold_out: "售罄", "Sold out";
        cancel: "取消", "Cancel";
        back: "返回", "Back";
        loading: "加载中…", "Loading…";
        offline: "网络连接已断开，请检查网络后重试", "You're offline. Check your connection and retry";
        server_error: "服务暂时不可用，请稍后重试", "The service is unavailable. Please retry shortly";
        retry: "重试", "Retry";
        chunk_failed: "页面没有加载出来，请检查网络后重试", "This page didn't load. Check your connection and retry";
        reload_app: "重新打开商城", "Reload the mall";
        language: "语言", "Language";
        logout: "退出登录", "Log out";
        checkin_card: "每日签到领积分", "Check in daily for points";
        not_found_title: "页面不存在", "Page not found";
        go_home: "回到首页", "Back to Home";
        main_nav: "主导航", "Main navigation";
        filters: "筛选", "Filters";
        categories: "分类", "Categories";
        checked_in_today: "今日已签到", "Checked in";
        check_in_now: "立即签到", "Check in";
        cost: "花费", "Cost";
        cancel_order: "取消订单", "Cancel";
        no_sales: "今天没有秒杀场次", "No flash sales today";
        reminder_badge: "已提醒", "Reminder on";
        starts_in: "距开抢", "Starts in";
        ends_in: "距结束", "Ends in";
        wallet_title: "我的券码", "My codes";
        copy: "复制券码", "Copy code";
        copied: "已复制", "Copied";
        flash_sale: "秒杀", "Flash";
    }
}

texts! {
    /// The fixed strings only lazy pages show. Only chunk code reads this table (through
    /// `Lang::p`), so wasm-split moves it out of the first visit with them.
    PageTexts, ZH_PAGES, EN_PAGES {
        growth: "成长值", "Growth";
        band_500: "500 以下", "Under 500";
        band_2000: "500–2000", "500–2,000";
        band_10000: "2000–1万", "2,000–10k";
        band_over: "1万以上", "10k+";
        sort_popular: "热门", "Popular";
        sort_newest: "最新", "Newest";
        sort_points_asc: "积分从低到高", "Points: low to high";
        sort_points_desc: "积分从高到低", "Points: high to low";
        sort_label: "排序", "Sort";
        search_placeholder: "搜索商品", "Search rewards";
        no_items: "没有符合条件的商品", "No rewards match these filters";
        clear_filters: "清除筛选", "Clear filters";
        description: "商品介绍", "About this reward";
        specs: "规格参数", "Details";
        redeem_now: "立即兑换", "Redeem now";
        confirm_redeem: "确认兑换", "Confirm redemption";
        quantity: "数量", "Quantity";
        fewer: "减少", "Fewer";
        more: "增加", "More";
        total: "合计", "Total";
        balance_now: "当前积分", "Balance now";
        balance_after: "兑换后剩余", "Balance after";
        confirm: "确认兑换", "Confirm";
        close: "关闭", "Close";
        redeem_ok: "兑换成功", "Redeemed";
        redeem_failed: "兑换未成功", "Not redeemed";
        virtual_next: "券码已发放，使用时出示即可", "Your code is ready; show it when you use it";
        physical_next: "我们会在 48 小时内发货，可在「我的订单」查看进度", "We ship within 48 hours; track it under My orders";
        your_code: "券码", "Code";
        see_history: "查看积分明细", "See point history";
        keep_shopping: "继续逛逛", "Keep browsing";
        history_title: "积分明细", "Point history";
        filter_all: "全部", "All";
        filter_earned: "收入", "Earned";
        filter_spent: "支出", "Spent";
        filter_expired: "过期", "Expired";
        no_history: "还没有积分记录", "No point activity yet";
        no_more: "没有更多了", "That's everything";
        me_title: "我的", "Me";
        top_tier: "已是最高等级", "Top tier reached";
        my_orders: "我的订单", "My orders";
        no_orders: "还没有兑换记录", "No redemptions yet";
        login_title: "登录积分商城", "Log in to the Points Mall";
        login_hint: "演示环境：选择一位会员进入", "Demo: pick a member to continue";
        physical: "实物", "Goods";
        virtual_item: "电子券", "E-voucher";
        streak_label: "已连续签到", "Current streak";
        days_unit: "天", " days";
        ladder_title: "连签奖励", "Streak rewards";
        makeup_title: "补签", "Make up a day";
        makeup_done: "补签成功", "Day made up";
        free: "免费", "Free";
        makeups_left: "本月剩余补签次数", "Make-ups left this month";
        confirm_makeup: "确认补签", "Make it up";
        tier_perks: "会员权益", "Tier perks";
        tasks_title: "做任务赚积分", "Earn points";
        profile_title: "我的资料", "My profile";
        profile_name: "昵称", "Display name";
        profile_birthday: "生日", "Birthday";
        profile_birthday_kept: "生日填写后不可修改，如有误请联系客服。", "A birthday is kept once set; ask the shop to correct a mistake.";
        profile_consent: "接收商城外的提醒（积分即将过期时通过商城 App 通知我）", "Tell me outside the mall (through the shop's app) when my points are about to expire";
        profile_name_invalid: "昵称需为 1–20 个字符", "A display name is 1 to 20 characters";
        profile_birthday_invalid: "请选择有效的生日", "Pick a valid birthday";
        profile_save: "保存资料", "Save profile";
        profile_saved: "资料已保存", "Profile saved";
        profile_fill: "去填写", "Fill in";
        birthday_take: "领取生日礼", "Take your birthday gift";
        invite_title: "邀请好友", "Invite friends";
        lots_title: "积分有效期", "When your points expire";
        pending_title: "待到账积分", "Points on the way";
        pending_note: "购物积分在退货期结束后到账，到账前不能使用", "Purchase points arrive when the return window ends; until then they cannot be spent";
        pending_none: "没有待到账的积分", "No points on the way";
        ops_shortfall: "待扣回积分", "Shortfall";
        causes_title: "积分捐赠", "Donate points";
        causes_intro: "把积分捐给公益项目，每一分都计入项目进度，捐赠后不可撤回。",
            "Give points to a cause; every point counts towards its goal. A gift cannot be taken back.";
        causes_none: "暂时没有公益项目", "No causes right now";
        causes_progress: "筹集进度", "Progress";
        donate: "我要捐赠", "Donate";
        cause_closed: "已结束", "Closed";
        donate_amount: "捐赠积分", "Points to give";
        donate_too_much: "积分不足", "Not enough points";
        donate_enter: "请输入要捐赠的积分", "Enter the points to give";
        donate_irrevocable: "我知道捐赠后不可撤回", "I understand a gift cannot be taken back";
        lottery_title: "积分抽奖", "Lucky draw";
        lottery_none: "暂时没有进行中的抽奖", "No draw is running right now";
        prize_out: "已抽完", "All gone";
        prize_nothing: "未中奖", "No prize";
        prize_out_note: "已抽完的奖品：抽中即为未中奖。", "A prize that is all gone counts as no prize if drawn.";
        drawing: "抽奖中…", "Drawing…";
        draws_used_up: "今日抽奖次数已用完，明天再来", "No draws left today; come back tomorrow";
        prize_was_out: "抽中的奖品已抽完，本次未中奖", "That prize is all gone: no prize this time";
        prize_none_this_time: "未中奖，下次好运", "No prize this time; good luck next time";
        lottery_fine: "概率与库存实时更新；每次抽奖消耗积分：", "Odds and stock are live; each draw costs points: ";
        prize_kind_points: "积分", "Points";
        prize_kind_item: "实物", "Item";
        prize_kind_coupon: "优惠券", "Coupon";
        prize_item_note: "实物奖品免费寄往你的默认收货地址，抽奖前请先添加地址。", "Item prizes ship free to your default address: add one before you draw.";
        prize_address_link: "管理收货地址", "Your addresses";
        prize_needs_address: "本期有实物奖品，请先添加收货地址再抽奖（未扣积分）。", "This draw has item prizes: add an address first (no points were taken).";
        prize_code_in_wallet: "券码已放入卡包：", "The code is in your wallet:";
        prize_order_made: "奖品订单已生成，将寄往你的默认收货地址。", "Your prize order is placed and ships to your default address.";
        see_wallet: "去卡包", "Open wallet";
        see_orders: "查看订单", "See orders";
        me_lottery: "积分抽奖", "Lucky draw";
        invite_copy: "复制", "Copy";
        invite_link: "邀请链接：好友打开并登录即可使用你的邀请码", "Invite link: a friend who opens it and signs in uses your code";
        invite_copy_link: "复制链接", "Copy link";
        invite_friend_code: "好友的邀请码", "A friend's invite code";
        invite_use: "使用", "Use";
        invite_enter: "请输入好友的 8 位邀请码", "Enter your friend's 8-character code";
        invite_accepted: "已使用好友的邀请码，首次购物后你们都得积分", "Code accepted: you both earn points after your first purchase";
        invite_invalid: "邀请码无效（不能使用自己的邀请码）", "That code is not valid (your own code cannot be used)";
        invite_already: "你已经使用过好友的邀请码", "You have already used a friend's code";
        invite_too_late: "邀请码只能在首次消费前填写：你已在商城消费过", "An invite code counts only before your first purchase, and you have already bought";
        invite_used: "你已使用好友的邀请码：首次购物后你们都得积分", "You used a friend's code: you both earn points after your first purchase";
        invite_rules: "每人只能使用一次；邀请奖励在首次购物后发放，邀请人每月奖励有上限",
            "One code per member; rewards come after the first purchase, and inviters have a monthly cap";
        ops_title: "运营后台", "Operations";
        ops_bad_number: "请输入有效的数字", "Enter a valid number";
        ops_adjust: "调整积分", "Adjust points";
        ops_amount: "积分（正数增加，负数扣减）", "Points (+ adds, − takes)";
        ops_reason: "原因（会员可见）", "Reason (the member sees it)";
        ops_apply: "提交调整", "Apply";
        ops_orders: "订单管理", "Orders";
        ops_sales: "排期秒杀", "Schedule flash sales";
        ops_offer_zh: "商品名称（中文）", "Offer name (Chinese)";
        ops_offer_en: "商品名称（英文）", "Offer name (English)";
        ops_image: "图片", "Image";
        ops_points: "秒杀价（积分）", "Price (points)";
        ops_quantity: "每场数量", "Codes per slot";
        ops_limit: "每人限抢", "Per member";
        ops_day: "日期（商城时间）", "Day (mall time)";
        ops_slots: "场次", "Slots";
        ops_other_slot: "其他时间", "Another time";
        ops_minutes: "每场时长（分钟）", "Minutes per slot";
        ops_valid_days: "券码有效天数（场次结束后）", "Code valid for (days after the slot)";
        ops_schedule: "创建场次", "Schedule";
        sales_title: "限时秒杀", "Flash sales";
        slot_tomorrow: "明天开抢", "Tomorrow";
        remind_set: "已设置开抢提醒，开抢时会通知你", "Reminder on: you will be notified when it opens";
        remind_set_in_app: "已设置提醒：开抢时商城开着就会提醒你", "Reminder on: the mall reminds you when it opens, while the mall is open";
        remind_off: "已取消提醒", "Reminder off";
        got_it: "已抢到", "Got it";
        wallet_cached: "网络不可用，显示的是上次保存的券码", "Offline: showing your saved codes";
        wallet_cached_server: "服务暂时不可用，显示的是上次保存的券码", "The service is busy: showing your saved codes";
        verify_ok: "核销成功", "Verified";
        verify_fail: "无法核销", "Cannot verify";
        code_tab_usable: "可使用", "Ready";
        code_tab_used: "已使用", "Used";
        code_tab_expired: "已失效", "Expired & void";
        no_codes: "这里还没有券码", "No codes here yet";
        go_sales: "去秒杀", "See flash sales";
        copy_failed: "复制失败，请长按券码手动复制", "Copy failed; long-press the code to copy it";
        merchant_title: "商户核销", "Verify a code";
        merchant_code: "兑换码", "Code";
        merchant_verify: "核销", "Verify";
        merchant_codes: "本店券码", "Our codes";
        offers_title: "免费赠品提案", "Free offers";
        offers_hint: "以免费赠品做推广：填写赠品、数量和时段，运营审核通过后作为限时秒杀上线。",
            "Give items away as advertising: say what, how many and when; once an operator approves, it goes live as a flash sale.";
        offers_mine: "我的提案", "My proposals";
        offer_quantity: "数量", "Quantity";
        offer_send: "提交提案", "Send proposal";
        offer_sent: "提案已提交，等待运营审核", "Sent: an operator will review it";
        offer_proposed: "待审核", "Waiting";
        offer_approved: "已通过", "Approved";
        offer_declined: "未通过", "Declined";
        offer_error_name: "请填写中英文赠品名称（各 1–60 字）", "Name the offer in both languages (1–60 characters each)";
        offer_error_quantity: "数量需在 1 到 10,000 之间", "Quantity must be 1 to 10,000";
        offer_error_window: "结束时间需晚于开始时间", "The end must come after the start";
        offer_error_past: "开始时间不能早于现在", "The start cannot be in the past";
        offer_error_long: "一次赠品最长 7 天", "An offer runs at most 7 days";
        offer_approve: "通过并上线", "Approve";
        offer_decline: "不通过", "Decline";
        offer_need_points: "请填写每个兑换码所需积分", "Set the points a code costs";
        offer_approved_note: "已通过，秒杀已排期", "Approved: the flash sale is scheduled";
        offer_declined_note: "已标记为不通过", "Declined";
        ops_offers: "商户提案", "Merchant offers";
        board_title: "本周兑换榜", "This week's top redeems";
        board_empty: "本周还没有兑换，去抢第一个吧", "Nothing redeemed yet this week: be the first";
        picks_title: "为你推荐", "Picked for you";
        item_merchant: "核销商户", "Verified by";
        item_own_voucher: "商城自营", "The mall itself";
        merchant_codes_all: "全部", "All";
        merchant_codes_verified: "已核销", "Verified";
        merchant_settlement: "结算对账", "Settlement";
        settlement_amount: "结算金额", "Amount";
        staff_title: "员工登录", "Staff sign-in";
        staff_hint: "运营和商户账号在这里登录", "Operators and merchants sign in here";
        staff_username: "用户名", "Username";
        staff_password: "密码", "Password";
        staff_sign_in: "登录", "Sign in";
        staff_sign_out: "退出登录", "Sign out";
        staff_demo: "演示账号（点按填入）", "Demo accounts (tap to fill in)";
        staff_bad_username: "用户名为 3–32 位小写字母、数字或 . _ -", "A username is 3–32 of a–z, 0–9, . _ -";
        staff_need_password: "请输入密码", "Enter your password";
        staff_login_failed: "用户名或密码不正确", "Wrong username or password";
        staff_forbidden: "这个账号没有权限", "This account may not do that";
        role_operator: "运营", "Operator";
        role_merchant: "商户", "Merchant";
        staff_nav: "后台栏目", "Sections";
        ops_members: "会员", "Members";
        ops_sales_list: "秒杀场次", "Flash sales";
        ops_audit: "操作日志", "Audit log";
        ops_find: "查找会员（ID 或姓名）", "Find a member (ID or name)";
        ops_no_members: "没有找到会员", "No member found";
        ops_pick_member: "选择一位会员查看详情", "Pick a member to see the details";
        ops_member_missing: "会员不存在", "No such member";
        ops_frozen: "已冻结", "Frozen";
        ops_freeze: "冻结账户", "Freeze account";
        ops_unfreeze: "解冻", "Unfreeze";
        ops_need_reason: "请填写原因", "Enter a reason";
        ops_balance: "可用积分", "Balance";
        ops_lots: "积分批次", "Point lots";
        ops_history: "最近积分记录", "Recent point activity";
        ops_member_orders: "订单", "Orders";
        ops_codes: "券码", "Codes";
        ops_none: "无", "None";
        ops_from: "开始日期", "From";
        ops_to: "结束日期", "To";
        ops_show: "查看", "Show";
        ops_cancelled: "已取消", "Cancelled";
        ops_edit: "修改", "Edit";
        ops_save: "保存修改", "Save";
        ops_saved: "已保存", "Saved";
        ops_cancel_sale: "取消场次", "Cancel sale";
        ops_keep: "不取消", "Keep it";
        ops_no_sales: "这几天没有场次", "No sales on these days";
        ops_starts: "开始时间", "Starts";
        ops_ends: "结束时间", "Ends";
        ops_merchant: "商户", "Merchant";
        load_more: "加载更多", "Load more";
        ops_no_audit: "还没有操作记录", "No staff actions yet";
        audit_before: "变更前", "Before";
        audit_after: "变更后", "After";
        sale_started: "场次已开始，不能再修改", "The sale has started; it can no longer be changed";
        sale_cancelled: "该场次已取消", "This sale was cancelled";
        code_other_merchant: "这是其他商户的兑换码", "This code belongs to another merchant";
        frozen_prefix: "账户已冻结：", "Your account is frozen: ";
        ops_pick_merchant: "请选择商户", "Choose a merchant";
        ops_items: "商品管理", "Items";
        items_active: "在售", "On sale";
        items_retired: "已下架", "Retired";
        items_filter: "商品状态", "Item status";
        item_new: "新建商品", "New item";
        item_edit: "编辑商品", "Edit item";
        item_name_zh: "名称（中文）", "Name (Chinese)";
        item_name_en: "名称（英文）", "Name (English)";
        item_desc_zh: "描述（中文）", "Description (Chinese)";
        item_desc_en: "描述（英文）", "Description (English)";
        item_category: "分类", "Category";
        item_kind: "类型", "Kind";
        item_points: "积分价", "Points";
        item_cash: "现金部分（元，可不填）", "Cash part (¥, optional)";
        item_limit: "每人限兑", "Per member";
        item_min_tier: "最低等级", "Lowest tier";
        item_any_tier: "不限", "Any tier";
        item_stock: "初始库存", "Starting stock";
        item_spec_label_zh: "规格名（中文）", "Label (Chinese)";
        item_spec_label_en: "规格名（英文）", "Label (English)";
        item_spec_value_zh: "内容（中文）", "Value (Chinese)";
        item_spec_value_en: "内容（英文）", "Value (English)";
        item_add_spec: "添加规格", "Add a spec";
        item_remove: "删除", "Remove";
        item_upload: "上传图片（PNG / JPEG / WebP，≤ 512 KB）", "Upload (PNG / JPEG / WebP, ≤ 512 kB)";
        item_uploading: "上传中…", "Uploading…";
        item_uploaded: "图片已上传", "Image uploaded";
        item_image_type: "只能上传 PNG、JPEG 或 WebP 图片", "Only PNG, JPEG or WebP images";
        item_image_big: "图片不能超过 512 KB", "The image must be 512 kB or less";
        item_need_image: "请上传图片", "Upload an image";
        item_need_category: "请选择分类", "Choose a category";
        item_create: "创建商品", "Create item";
        item_created: "商品已创建，会员现在就能看到", "Created: members see it now";
        item_retire: "下架", "Retire";
        item_unretire: "重新上架", "Put back on sale";
        item_stock_change: "调整库存", "Change stock";
        item_delta: "数量（正数入库，负数出库）", "Units (+ in, − out)";
        item_stock_reason: "原因（记入操作日志）", "Reason (for the audit log)";
        item_stock_low: "库存不能低于 0", "Stock cannot go below zero";
        item_no_items: "没有商品", "No items";
        item_err_text: "名称中英文都要填（1–60 字），描述最多 2,000 字", "Names in both languages (1–60 characters); descriptions up to 2,000";
        item_err_numbers: "积分 1–10,000,000，现金须大于 0，每人限兑至少 1，库存不能为负",
            "Points 1–10,000,000, cash above 0, per member at least 1, stock not negative";
        item_err_specs: "最多 20 条规格，每条都要有中英文规格名", "At most 20 specs, each with a label in both languages";
        item_err_image: "图片须为上传的图片", "The image must be an uploaded one";
        orders_search: "搜索（订单号、会员、商品、运单号）", "Search (order, member, item, tracking no.)";
        orders_csv: "导出 CSV", "Export CSV";
        orders_none: "没有符合条件的订单", "No orders match";
        orders_status: "订单状态", "Order status";
        order_member: "会员", "Member";
        order_ship_to: "收货地址", "Ship to";
        label_colon: "：", ": ";
        order_ship: "发货", "Ship";
        order_carrier: "快递公司", "Carrier";
        order_tracking: "运单号", "Tracking no.";
        order_deliver: "确认送达", "Mark delivered";
        order_cancel: "取消订单", "Cancel order";
        order_cancel_reason: "取消原因（会员可见）", "Reason (the member sees it)";
        order_cancel_confirm: "确认取消（退还积分和库存）", "Cancel it (points and stock go back)";
        order_bad_ship: "请填写快递公司和 4–40 位运单号（字母、数字、-）", "Enter a carrier and a 4–40 character tracking no. (letters, digits, -)";
        order_shop_cancelled: "商城已取消：", "Cancelled by the shop: ";
        addr_title: "收货地址", "Addresses";
        addr_add: "新增地址", "Add an address";
        addr_edit: "编辑", "Edit";
        addr_delete: "删除", "Delete";
        addr_delete_confirm: "确定删除这个地址？", "Delete this address?";
        addr_default: "默认", "Default";
        addr_set_default: "设为默认", "Make default";
        addr_make_default: "设为默认地址", "Make it the default";
        addr_name: "收货人", "Recipient";
        addr_phone: "手机号", "Phone";
        addr_region: "所在地区（省 市 区）", "Region (province, city, district)";
        addr_detail: "详细地址", "Street and number";
        addr_save: "保存地址", "Save address";
        addr_empty: "还没有收货地址，兑换实物前先添加一个", "No addresses yet: add one before redeeming goods";
        addr_bad_name: "请填写收货人（1–30 字）", "Enter a recipient (1–30 characters)";
        addr_bad_phone: "请填写正确的手机号（5–20 位数字）", "Enter a valid phone number (5–20 digits)";
        addr_bad_place: "请填写所在地区（≤ 60 字）和详细地址（≤ 120 字）", "Enter the region (≤ 60) and street (≤ 120 characters)";
        addr_full: "最多保存 20 个地址，请先删除不用的", "At most 20 addresses: delete one first";
        addr_pick: "收货地址", "Ship to";
        addr_first: "兑换实物需要收货地址，请先添加", "Goods need an address: add one";
        ops_stats: "数据统计", "Statistics";
        stats_points: "积分收支", "Points in and out";
        stats_activity: "会员活跃", "Activity";
        stats_issued: "发放", "Issued";
        stats_taken_back: "扣回", "Taken back";
        stats_spent: "消耗", "Spent";
        stats_returned: "退回", "Returned";
        stats_expired: "过期", "Expired";
        stats_opening: "期初积分", "Opening points";
        stats_closing: "期末积分", "Closing points";
        stats_outstanding: "当前未使用积分", "Outstanding now";
        stats_liability: "积分负债", "Liability";
        stats_cash: "现金收入", "Cash collected";
        cash_refund_due: "待退现金（请宿主退款）", "Cash refund due (the host refunds)";
        order_cash_paid: "已付现金", "Cash paid";
        stats_active: "活跃会员", "Active members";
        stats_rate: "签到率", "Check-in rate";
        stats_checkins: "签到", "Check-ins";
        stats_redemptions: "兑换订单", "Redemptions";
        stats_codes: "秒杀券码", "Codes issued";
        stats_verified: "已核销", "Verified";
        stats_day: "日期", "Day";
        stats_total: "合计", "Total";
        stats_top_items: "热门兑换", "Top items";
        stats_merchants: "各商户核销 / 发放", "Verified / issued per merchant";
        ops_staff: "员工账号", "Staff accounts";
        ops_rules: "积分规则", "Rules";
        rules_note: "修改从生效时间起只用于之后的签到、兑换和任务：已发放的积分、明细和已达到的等级都不变。与宿主商城约定的积分价值和抵扣比例随版本发布修改，不在这里。", "A change applies from its moment to later check-ins, orders and tasks: points already given, the history and tiers reached stay as they are. The point value and the checkout deduction are the host shop's contract and change with a release, not here.";
        rules_ladder: "连续签到奖励（第 1–N 天，逗号分隔）", "Check-in ladder (day 1–N, comma separated)";
        rules_early_birds: "每天前 N 名签到双倍（0 为关闭）", "First N check-ins a day earn double (0 = off)";
        rules_checkin_growth: "每次签到成长值", "Growth per check-in";
        rules_makeup_cost: "补签消耗积分", "Make-up cost (points)";
        rules_makeups: "每月可补签次数", "Make-ups a month";
        rules_task_points: "任务奖励（分享、评价、完善资料）", "Task rewards (share, review, profile)";
        rules_tasks_per_day: "每天可领任务奖励次数", "Task rewards a day";
        rules_register_points: "注册奖励积分", "Welcome points";
        rules_register_growth: "注册奖励成长值", "Welcome growth";
        rules_inviter_points: "邀请人奖励积分", "Inviter's points";
        rules_invitee_points: "被邀请人奖励积分", "Invitee's points";
        rules_invites: "每月计奖邀请数", "Rewarded invites a month";
        rules_per_yuan: "每消费 1 元积分", "Points per yuan spent";
        rules_thresholds: "等级门槛成长值（白银、黄金、钻石）", "Tier thresholds (Silver, Gold, Diamond)";
        rules_multipliers: "等级积分倍率（普通、白银、黄金、钻石）", "Tier multipliers (Member, Silver, Gold, Diamond)";
        rules_lot_months: "积分有效期（月）", "Points expire after (months)";
        rules_expiring_days: "即将过期提醒（天）", "Expiring-soon notice (days)";
        rules_coupon_days: "兑换券有效期（天）", "Voucher codes valid (days)";
        rules_birthday_points: "生日礼积分（0 为不送）", "Birthday gift (points, 0 for none)";
        rules_donation_min: "最少捐赠积分", "Smallest donation (points)";
        rules_from: "生效时间（留空为立即生效）", "Takes effect (empty: now)";
        rules_reason: "修改原因（记入审计日志）", "Why (kept in the audit log)";
        rules_ask: "检查修改", "Review changes";
        rules_review: "将要修改：", "These change:";
        rules_confirm: "确认保存", "Save them";
        rules_check: "请检查：", "Check: ";
        rules_unchanged: "没有修改", "Nothing changed";
        rules_refused: "服务器拒绝了这些规则，请检查各项数值", "The server refused these rules: check the numbers";
        rules_versions: "规则版本", "Versions";
        ops_deliveries: "通知投递", "Notices to the host";
        deliveries_note: "积分到账、即将过期、发货、开抢提醒、升级、券码核销和待退现金会以签名的 Webhook 发给宿主商城（HOST_WEBHOOK_URL），由宿主通过微信、短信或推送告诉会员；失败会按退避重试一天。", "Points arriving or expiring, shipping, sale openings, tier-ups, verified codes and cash refunds due go to the host shop as signed webhooks (HOST_WEBHOOK_URL), which tells the member by WeChat, SMS or push; a failure is retried with backoff for a day.";
        deliveries_state: "投递状态", "Delivery state";
        deliveries_none: "没有这种状态的通知", "No notices in this state";
        delivery_pending: "待投递", "Pending";
        delivery_failed: "失败", "Failed";
        delivery_delivered: "已送达", "Delivered";
        delivery_next: "下次尝试", "next attempt";
        delivery_last: "宿主最后回复：", "Host's last answer:";
        delivery_resend: "重新发送", "Send again";
        event_points_arrived: "积分到账", "Points arrived";
        event_points_expiring: "积分即将过期", "Points expiring";
        event_order_shipped: "订单已发货", "Order shipped";
        event_sale_opening: "秒杀开抢提醒", "Sale opening";
        event_tier_up: "会员升级", "Tier up";
        event_code_verified: "券码已核销", "Code verified";
        event_cash_refund_due: "待退现金", "Cash refund due";
        rules_release: "随版本发布的默认规则", "The release's rules";
        rules_state_in_force: "生效中", "In force";
        rules_state_scheduled: "待生效", "Scheduled";
        rules_state_before: "已停用", "Before";
        ops_categories: "分类", "Categories";
        cat_note: "隐藏的分类不在会员的分类栏和列表中出现，已下的订单不受影响", "A hidden category leaves members' tabs and lists; orders that name it stay as they are";
        cat_none: "还没有分类：先建一个，才能上架商品", "No categories yet: make one before the first item";
        cat_hidden: "已隐藏", "Hidden";
        cat_name_zh: "中文名称", "Chinese name";
        cat_name_en: "英文名称", "English name";
        cat_position: "排序（小的在前）", "Order (smaller first)";
        cat_hide: "对会员隐藏", "Hide from members";
        cat_new: "新建分类", "New category";
        cat_slug: "标识（创建后不可改）", "Slug (fixed once made)";
        cat_slug_hint: "如 coffee", "e.g. coffee";
        cat_create: "创建分类", "Create category";
        cat_created: "分类已创建", "Category created";
        cat_slug_taken: "这个标识已被使用", "That slug is taken";
        cat_bad: "标识需 2–32 位小写字母、数字或 -，名称两种语言各 1–20 字", "Slug: 2–32 of a–z, 0–9 and -; names: 1–20 characters in both languages";
        ops_merchants: "合作商户", "Merchants";
        item_no_categories: "上架商品前要先有分类。", "An item needs a category first.";
        merchant_new: "新建商户", "New merchant";
        merchant_none: "还没有合作商户", "No partner merchants yet";
        merchant_terms: "商户资料与结算", "Merchant and terms";
        merchant_inactive: "已停用", "Inactive";
        merchant_slug: "标识（创建后不可改）", "Slug (fixed once made)";
        merchant_address_zh: "中文地址", "Chinese address";
        merchant_address_en: "英文地址", "English address";
        merchant_logo: "标志图片", "Logo";
        merchant_settle_value: "每核销一张结算（元）", "Paid per verified code (yuan)";
        merchant_offer_settlement: "其免费赠品每张结算（元）", "Paid per code of its free offers (yuan)";
        merchant_terms_note: "结算金额只对修改后发出的券码生效，已出的对账单不变", "Terms apply to codes issued from now on; past statements stay as they were";
        merchant_active: "启用（停用后不能再上新秒杀、券或赠品，已发券码仍可核销）", "Active (an inactive merchant gets no new sales, vouchers or offers; issued codes stay verifiable)";
        merchant_create: "创建商户", "Create merchant";
        merchant_accounts: "商户账号", "Merchant accounts";
        merchant_no_accounts: "还没有账号：在下方为商户建一个，用来核销和对账", "No accounts yet: make one below to verify codes and read statements";
        merchant_slug_taken: "这个标识已被使用", "That slug is taken";
        merchant_bad: "请检查：标识 2–32 位小写字母、数字或 -，名称各 1–40 字，地址最多 120 字，结算 0–10000 元", "Check: slug 2–32 of a–z, 0–9 and -; names 1–40 characters; addresses up to 120; terms 0–10,000 yuan";
        merchant_need_logo: "请上传商户标志图片（秒杀和赠品页面会显示）", "Upload the merchant's logo (its sales and offers show it)";
        merchant_bad_yuan: "请输入金额，如 2.50", "Enter an amount, e.g. 2.50";
        codes_note: "输入会员出示的券码。本店自营的券在这里核销；合作商户的券由商户在商户核销页核销。", "Enter the code the member shows. Codes the shop honours itself are verified here; partners verify theirs on their own page.";
        code_label: "券码", "Code";
        code_placeholder: "XXXX-XXXX-XXXX", "XXXX-XXXX-XXXX";
        code_look_up: "查询", "Look up";
        code_enter: "请输入券码", "Enter a code";
        code_unknown: "没有这个券码", "No such code";
        code_not_open: "这张券已使用或已作废", "This code is already used or void";
        code_offer: "兑换内容", "For";
        code_honoured_by: "核销方", "Honoured by";
        code_shop: "本店自营", "The shop itself";
        code_member: "会员", "Member";
        code_paid: "支付积分", "Points paid";
        code_issued: "发放时间", "Issued";
        code_valid_until: "有效期至", "Valid until";
        code_used: "使用时间", "Used";
        code_void_reason: "作废原因", "Why it is void";
        code_verify: "核销（本店兑现）", "Verify (the shop hands it over)";
        code_verified: "已核销", "Verified";
        code_void: "作废券码", "Void the code";
        void_reason_bad: "请填写 1–200 字的原因", "Give a reason of 1–200 characters";
        void_no_refund: "这是抽奖奖品，作废不退积分", "A lottery prize: voiding it gives no points back";
        staff_list_heading: "全部账号", "All accounts";
        staff_no_accounts: "还没有员工账号", "No staff accounts yet";
        staff_you: "（你）", " (you)";
        staff_disabled: "已停用", "Disabled";
        staff_new: "新建账号", "New account";
        staff_display_name: "显示名称（可不填）", "Display name (optional)";
        staff_role: "角色", "Role";
        staff_initial_password: "初始密码（至少 10 个字符）", "First password (at least 10 characters)";
        staff_create: "创建账号", "Create account";
        staff_disable: "停用账号", "Disable account";
        staff_enable: "重新启用", "Enable again";
        staff_disable_note: "停用后该账号立即退出登录，且不能再登录", "Disabling signs the account out at once and stops it signing in";
        staff_now_disabled: "已停用，该账号已退出登录", "Disabled: the account is signed out";
        staff_now_enabled: "已重新启用，该账号可以登录", "Enabled: the account can sign in";
        staff_change_role: "角色与商户", "Role and merchant";
        staff_set_password: "设置新密码", "Set a new password";
        staff_set_password_note: "用于忘记密码：设置后该账号的所有登录立即失效", "For a forgotten password: every session of the account ends at once";
        staff_password_set: "新密码已设置，该账号需要用新密码重新登录", "New password set: the account signs in again with it";
        staff_password_short: "密码至少需要 10 个字符", "A password needs at least 10 characters";
        staff_username_taken: "这个用户名已被使用，请换一个", "That username is taken: choose another";
        staff_own_account: "不能停用或降级你自己的账号", "You cannot disable or demote your own account";
        staff_not_accepted: "未被接受：用户名为 3–32 个小写字母、数字或 . _ -，密码至少 10 个字符，商户账号须选择已有商户，运营账号不能属于商户",
            "Not accepted: a username is 3–32 of a-z, 0-9, . _ -; a password has at least 10 characters; a merchant account needs an existing merchant and an operator has none";
        staff_account_missing: "找不到这个账号，请刷新列表", "That account no longer exists: reload the list";
        staff_created_at: "创建于", "Created";
        staff_my_password: "修改我的密码", "Change my password";
        staff_current_password: "当前密码", "Current password";
        staff_new_password: "新密码（至少 10 个字符）", "New password (at least 10 characters)";
        staff_repeat_password: "再次输入新密码", "New password again";
        staff_passwords_differ: "两次输入的新密码不一致", "The two new passwords differ";
        staff_password_unchanged: "新密码不能与当前密码相同", "The new password must differ from the current one";
        staff_password_changed: "密码已修改，你在其他设备上的登录已退出", "Password changed: your other sessions were signed out";
        staff_current_wrong: "当前密码不正确", "The current password is wrong";
        staff_current_wrong_or_short: "当前密码不正确，或新密码太短（至少 10 个字符）",
            "The current password is wrong, or the new one is too short (at least 10 characters)";
        order_title: "订单详情", "Order";
        all_orders: "全部订单", "All orders";
        order_no: "订单号", "Order no.";
        order_cash: "其中现金", "Of which cash";
        order_placed: "下单时间", "Placed";
        cash_via_host: "现金部分在商城收银台支付；超时未付，订单自动关闭，积分退回",
            "The cash part is paid at the shop's checkout; if it is not paid in time, the order closes and the points come back";
        confirm_pay: "确认并去付款", "Confirm and pay";
        going_to_pay: "订单已创建，正在前往商城收银台…", "Order placed: taking you to the shop's checkout…";
        see_order: "查看订单", "View order";
        pay_now: "去付款", "Pay now";
        pay_posted: "已在商城收银台发起付款，付款后会回到这里", "The shop's checkout has the payment: you come back here once it is paid";
        order_cancel_ask: "确定取消这个订单吗？积分会退回，现金部分无需再付", "Cancel this order? The points come back and nothing is left to pay";
        order_cancel_yes: "确定取消", "Yes, cancel";
        order_cancel_keep: "暂不取消", "Keep it";
        order_lapsed_note: "未在时限内付款，订单已关闭", "Not paid in time: the order is closed";
        order_lapsed_line: "未按时付款，积分已退回", "Not paid in time: points returned";
        item_cash_unavailable: "本店暂未开通现金支付，此商品暂不可兑换", "This shop cannot take the cash part yet, so this item cannot be redeemed";
        staff_own_note: "这是你自己的账号：不能在这里停用或降级；改密码请用页面顶部的“修改我的密码”",
            "This is your own account: it cannot be disabled or demoted here; change your password with “Change my password” at the top";
        staff_name: "显示名称", "Display name";
        ops_lotteries: "抽奖", "Lotteries";
        ops_causes: "公益", "Causes";
        ops_refresh: "刷新", "Refresh";
        campaign_open: "进行中", "Running";
        campaign_closed: "已结束", "Closed";
        campaign_keep: "不结束", "Keep it open";
        lotteries_heading: "抽奖活动", "Lotteries";
        lotteries_none: "还没有抽奖活动，用表单新建一个", "No lotteries yet: create one with the form";
        lottery_draws: "抽奖次数", "Draws";
        lottery_spent: "消耗积分", "Points spent";
        lottery_prize_table: "奖品", "Prizes";
        prize_col_odds: "概率", "Odds";
        prize_col_left: "剩余", "Left";
        prize_col_won: "已抽中", "Won";
        lottery_close: "结束抽奖", "Close lottery";
        lottery_closed_note: "抽奖已结束", "The lottery is closed";
        lottery_missing: "找不到这个抽奖，请刷新列表", "That lottery is gone: refresh the list";
        lottery_new: "新建抽奖", "New lottery";
        lottery_cost: "每次消耗积分", "Points a draw";
        lottery_per_day: "每人每天可抽次数", "Draws a day per member";
        lottery_prizes: "奖品（1–12 个）", "Prizes (1–12)";
        prize_points: "奖励积分", "Points given";
        prize_item: "实物商品", "Item";
        prize_coupon: "电子券", "Voucher";
        prize_pick: "请选择", "Choose one";
        prize_odds: "中奖概率（%）", "Odds (%)";
        prize_stock: "数量", "How many";
        prize_add: "添加奖品", "Add a prize";
        lottery_create: "创建抽奖", "Create lottery";
        lottery_created: "抽奖已创建，会员现在就能抽奖", "Created: members can draw now";
        lottery_bad_odds: "概率请填写百分数，最多两位小数（如 12.5）", "Enter odds as a percentage with at most two decimals (e.g. 12.5)";
        lottery_not_accepted: "未被接受：实物奖品须选实物商品，优惠券奖品须选电子券", "Not accepted: an item prize needs a physical item, a coupon prize a voucher";
        lottery_err_name: "抽奖和每个奖品的名称中英文都要填（1–40 字）", "Name the lottery and each prize in both languages (1–40 characters)";
        lottery_err_cost: "每次消耗的积分须大于 0", "A draw must cost more than 0 points";
        lottery_err_per_day: "每人每天可抽次数须大于 0", "Draws a day must be more than 0";
        lottery_err_prizes: "奖品须为 1–12 个", "A lottery has 1 to 12 prizes";
        lottery_err_odds_zero: "每个奖品的中奖概率须大于 0", "Each prize's odds must be above 0%";
        lottery_err_odds_over: "各奖品中奖概率合计不能超过 100%", "The odds together cannot be over 100%";
        lottery_err_shape: "积分奖品须填写奖励积分，实物和优惠券奖品须选择商品", "A points prize needs its points; an item or coupon prize needs its item";
        lottery_err_stock: "奖品数量不能为负数", "A prize's number cannot be negative";
        causes_heading: "公益项目", "Causes";
        causes_none_ops: "还没有公益项目，用表单新建一个", "No causes yet: create one with the form";
        cause_donations: "捐赠笔数", "Donations";
        cause_donors: "捐赠人数", "Donors";
        cause_close: "结束项目", "Close cause";
        cause_closed_note: "项目已结束", "The cause is closed";
        cause_missing: "找不到这个项目，请刷新列表", "That cause is gone: refresh the list";
        cause_new: "新建公益项目", "New cause";
        cause_target: "目标积分", "Target (points)";
        cause_own_image: "商城自带图片", "One of the app's images";
        cause_uploaded_image: "已上传的图片", "The uploaded image";
        cause_create: "创建项目", "Create cause";
        cause_created: "项目已创建，会员现在就能捐赠", "Created: members can give now";
        cause_not_accepted: "未被接受：请检查名称、描述、目标积分和图片", "Not accepted: check the names, descriptions, target and image";
        cause_err_name: "名称中英文都要填（1–40 字）", "Names in both languages (1–40 characters)";
        cause_err_desc: "描述中英文都要填（1–400 字）", "Descriptions in both languages (1–400 characters)";
        cause_err_target: "目标积分须在 1 到 1,000,000,000 之间", "The target is 1 to 1,000,000,000 points";
        cause_err_image: "请上传图片，或选择商城自带的图片", "Upload an image or choose one of the app's";
        ops_campaigns: "营销活动", "Campaigns";
        campaigns_none: "还没有营销活动，用表单新建一个", "No campaigns yet: create one with the form";
        campaign_scheduled: "未开始", "Scheduled";
        campaign_ended: "已结束", "Ended";
        campaign_budget: "预算", "Budget";
        campaign_end: "结束活动", "End campaign";
        campaign_ended_note: "活动已结束", "The campaign has ended";
        campaign_missing: "找不到这个活动，请刷新列表", "That campaign is gone: refresh the list";
        campaign_already_ended: "这个活动已经结束了", "That campaign has already ended";
        campaign_new: "新建营销活动", "New campaign";
        campaign_target: "活动内容", "What it boosts";
        target_checkin: "签到奖励", "Check-in reward";
        target_purchase: "购物积分", "Purchase points";
        target_price: "兑换价格", "Reward price";
        target_member_day: "会员日加送", "Member-day bonus";
        campaign_category: "分类", "Category";
        campaign_no_category: "不按分类（填商品编号）", "None (give an item id)";
        campaign_item: "商品编号", "Item id";
        campaign_day: "会员日", "Member day";
        day_weekday: "每周某天", "A weekday";
        day_month: "每月某日", "A day of the month";
        day_birthday: "会员生日", "The member's birthday";
        campaign_weekday: "星期", "Weekday";
        campaign_month_day: "日期（1–31）", "Day of the month (1–31)";
        campaign_boost: "方式", "How";
        boost_by_percent: "按倍率", "By a multiplier";
        boost_by_points: "按积分", "By points";
        campaign_percent: "倍率（%，200 为双倍，80 为 8 折）", "Multiplier (%: 200 doubles, 80 is 20% off)";
        campaign_points: "积分数", "Points";
        campaign_budget_field: "预算（积分）", "Budget (points)";
        campaign_audience: "参与会员", "Who";
        audience_all: "所有会员", "Everyone";
        campaign_starts: "开始时间（本机时间）", "Starts (this computer's time)";
        campaign_ends: "结束时间（本机时间）", "Ends (this computer's time)";
        campaign_create: "创建活动", "Create campaign";
        campaign_created: "活动已创建", "Campaign created";
        campaign_not_accepted: "未被接受：结束时间须晚于现在，所选分类或商品须存在", "Not accepted: it must end in the future, and its category or item must exist";
        campaigns_banner: "限时活动", "On now";
    }
}

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
