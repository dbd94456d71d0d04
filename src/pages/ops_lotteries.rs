//! The back office's lotteries: every lottery, newest first, with its terms, the draws
//! made, the points they took, and each prize's kind, odds, stock left and wins; the
//! running one closes after a question (it cannot be opened again). Beside the list, the
//! form that opens a new lottery: 1–12 prizes of points, a physical item or a voucher,
//! odds typed in % (sent in basis points), the chance of no prize shown as it is typed,
//! checked with the server's rule (`check_lottery`) before it is sent. A new lottery
//! closes the running one, and the form says so before it is created.

use leptos::{
    either::{Either, EitherOf3, EitherOf4},
    prelude::*,
};
use mall_core::{
    catalog::ItemKind,
    catalog_admin::AdminItem,
    dto::I18nText,
    format::group_thousands,
    lottery::{check_lottery, AdminLotteries, AdminLottery, NewLottery, NewPrize, PrizeKind, ODDS_SCALE, PRIZES_MAX},
    ErrorCode,
};

use crate::{
    api::{self, ApiFailure, ApiResult},
    components::{field::Field, states::ListSkeleton},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, OpsResult},
};

/// The lotteries, as the list and the form's warning read them.
type Lotteries = LocalResource<ApiResult<AdminLotteries>>;

/// The catalogue, for the prizes' item pickers.
type Items = LocalResource<ApiResult<Vec<AdminItem>>>;

/// The section: the list, and the form beside it (under it on a phone).
#[component]
pub fn LotteriesSection() -> impl IntoView {
    let lotteries: Lotteries = LocalResource::new(api::admin_lotteries);
    let items: Items = LocalResource::new(|| async { api::admin_items().await.map(|a| a.items) });
    view! {
        <div class="ops-columns">
            <LotteryList lotteries />
            <NewLotteryForm lotteries items />
        </div>
    }
}

/// `1250` → `12.5%`: odds as the operator types them (at most two decimals).
pub fn percent(bp: i64) -> String {
    let (whole, part) = (bp / 100, (bp % 100).abs());
    match part {
        0 => format!("{whole}%"),
        p if p % 10 == 0 => format!("{whole}.{}%", p / 10),
        p => format!("{whole}.{p:02}%"),
    }
}

/// `12.5` (or `12.5%`) → `1250` basis points; `None` unless it is a number with at most
/// two decimals.
pub fn percent_to_bp(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim_end();
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && part.is_empty()) || whole.len() > 9 || part.len() > 2 || !digits(whole) || !digits(part) {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let part: i64 = if part.is_empty() { 0 } else { format!("{part:0<2}").parse().ok()? };
    Some(whole * 100 + part)
}

/// A prize kind's name.
fn kind_name(lang: Lang, kind: PrizeKind) -> &'static str {
    let p = lang.p();
    match kind {
        PrizeKind::Points => p.prize_kind_points,
        PrizeKind::Item => p.prize_kind_item,
        PrizeKind::Coupon => p.prize_kind_coupon,
    }
}

/// A failure of a lottery write, in the operator's words.
fn lottery_failure(lang: Lang, f: &ApiFailure) -> String {
    match f.code() {
        Some(ErrorCode::NotFound) => lang.p().lottery_missing.to_string(),
        Some(ErrorCode::ValidationFailed) => lang.p().lottery_not_accepted.to_string(),
        _ => lang.staff_failure(f),
    }
}

/// Every lottery, newest first, with a refresh (the draws keep coming while it is open).
#[component]
fn LotteryList(lotteries: Lotteries) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    // What a close said: the row is rebuilt with the list, so the answer is kept here.
    let said = RwSignal::new(None::<Result<String, String>>);
    let closed = Callback::new(move |()| {
        said.set(Some(Ok(lang.p().lottery_closed_note.to_string())));
        lotteries.refetch();
    });
    view! {
        <section class="card ops-card" aria-labelledby="lotteries-heading" data-testid="ops-lotteries">
            <div class="card-head">
                <h2 class="card-heading" id="lotteries-heading">{p.lotteries_heading}</h2>
                <button type="button" class="btn btn-outline btn-sm" data-testid="lotteries-refresh"
                    on:click=move |_| { said.set(None); lotteries.refetch(); }>{p.ops_refresh}</button>
            </div>
            <OpsResult result=said testid="lottery-list-result" />
            {move || match lotteries.get() {
                None => EitherOf4::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf4::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(list)) if list.lotteries.is_empty() => {
                    EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.lotteries_none}</p> })
                }
                Some(Ok(list)) => EitherOf4::D(view! {
                    <ul class="campaign-rows" data-testid="lottery-rows">
                        {list.lotteries.into_iter().map(|lottery| view! { <LotteryRow lottery closed /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

/// One lottery: terms, dates, draws and points spent, the prizes; close (after a question)
/// while it is open.
#[component]
fn LotteryRow(lottery: AdminLottery, closed: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = lottery.id;
    let open = lottery.open;
    let name = lang.pick(&lottery.name);
    let no_prize = i64::from(ODDS_SCALE) - lottery.prizes.iter().map(|p| p.probability_bp).sum::<i64>();
    let asking = RwSignal::new(false);
    let said = RwSignal::new(None::<Result<String, String>>);
    let close = Intent::new(move |(): (), _key: String| async move { api::admin_close_lottery(id).await });
    let result = answer(said, close, move |f| lottery_failure(lang, f));
    let confirm = move |_| {
        said.set(None);
        close.dispatch((), move |()| closed.run(()));
    };
    let question = lang.confirm_close_lottery(&name);
    view! {
        <li class="campaign" class:closed=!open data-testid="admin-lottery" data-id=id data-open=open.to_string()>
            <div class="campaign-head">
                <h3 class="campaign-title">{name}<span class="muted">" #"{id}</span></h3>
                <span class="status-pill" class:open-pill=open data-testid="lottery-state">
                    {if open { p.campaign_open } else { p.campaign_closed }}
                </span>
            </div>
            <p class="row-sub">{lang.lottery_terms(lottery.cost_points, lottery.draws_per_day)}</p>
            <p class="row-sub num">{lang.campaign_dates(&lottery.created_at, lottery.closed_at.as_deref())}</p>
            <dl class="stats campaign-stats">
                <div><dt>{p.lottery_draws}</dt><dd class="num" data-testid="lottery-draws">{group_thousands(lottery.draws)}</dd></div>
                <div><dt>{p.lottery_spent}</dt><dd class="num" data-testid="lottery-spent">{lang.points(lottery.points_spent)}</dd></div>
            </dl>
            <div class="table-scroll">
                <table class="stats-table prize-table" aria-label=p.lottery_prize_table>
                    <thead>
                        <tr>
                            <th scope="col">{p.lottery_prize_table}</th>
                            <th scope="col">{p.prize_col_odds}</th>
                            <th scope="col">{p.prize_col_left}</th>
                            <th scope="col">{p.prize_col_won}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lottery.prizes.into_iter().map(|prize| {
                            let kind = match prize.points {
                                Some(points) if prize.kind == PrizeKind::Points => format!("{} +{}", kind_name(lang, prize.kind), group_thousands(points)),
                                _ => kind_name(lang, prize.kind).to_string(),
                            };
                            view! {
                                <tr data-testid="admin-prize" class:out=prize.stock == 0>
                                    <th scope="row">{lang.pick(&prize.name)}<span class="prize-kind-line">{kind}</span></th>
                                    <td>{percent(prize.probability_bp)}</td>
                                    <td data-testid="prize-left">{group_thousands(prize.stock)}</td>
                                    <td data-testid="prize-won">{group_thousands(prize.won)}</td>
                                </tr>
                            }
                        }).collect_view()}
                        <tr class="no-prize">
                            <th scope="row">{p.prize_nothing}</th>
                            <td>{percent(no_prize)}</td>
                            <td></td>
                            <td></td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <OpsResult result testid="lottery-row-result" />
            {open.then(|| view! {
                <div class="campaign-actions">
                    {move || if asking.get() {
                        Either::Left(view! {
                            <div class="confirm-box" role="group" aria-label=p.lottery_close>
                                <p>{question.clone()}</p>
                                <div class="btn-row">
                                    <button type="button" class="btn btn-danger" data-testid="lottery-close-confirm"
                                        disabled=move || close.pending() on:click=confirm>{p.lottery_close}</button>
                                    <button type="button" class="btn btn-outline" on:click=move |_| asking.set(false)>{p.campaign_keep}</button>
                                </div>
                            </div>
                        })
                    } else {
                        Either::Right(view! {
                            <button type="button" class="btn btn-sm btn-danger-outline" data-testid="lottery-close"
                                on:click=move |_| asking.set(true)>{p.lottery_close}</button>
                        })
                    }}
                </div>
            })}
        </li>
    }
}

/// One prize of the form, as typed.
#[derive(Clone, Copy)]
struct PrizeDraft {
    key: u32,
    name_zh: RwSignal<String>,
    name_en: RwSignal<String>,
    kind: RwSignal<PrizeKind>,
    points: RwSignal<String>,
    item: RwSignal<Option<i64>>,
    odds: RwSignal<String>,
    stock: RwSignal<String>,
}

impl PrizeDraft {
    fn new(key: u32) -> PrizeDraft {
        let text = || RwSignal::new(String::new());
        PrizeDraft {
            key,
            name_zh: text(),
            name_en: text(),
            kind: RwSignal::new(PrizeKind::Points),
            points: text(),
            item: RwSignal::new(None),
            odds: text(),
            stock: text(),
        }
    }

    /// The prize as typed, or what is unreadable in it.
    fn prize(&self, lang: Lang) -> Result<NewPrize, &'static str> {
        let p = lang.p();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().map_err(|_| p.ops_bad_number);
        let kind = self.kind.get_untracked();
        let points = match kind {
            PrizeKind::Points => Some(number(self.points)?),
            PrizeKind::Item | PrizeKind::Coupon => None,
        };
        let item_id = self.item.get_untracked().filter(|_| kind != PrizeKind::Points);
        let probability_bp = percent_to_bp(&self.odds.get_untracked()).ok_or(p.lottery_bad_odds)?;
        Ok(NewPrize {
            name: I18nText { zh: self.name_zh.get_untracked().trim().into(), en: self.name_en.get_untracked().trim().into() },
            kind,
            points,
            item_id,
            probability_bp,
            stock: number(self.stock)?,
        })
    }
}

/// The form that opens a new lottery.
#[component]
fn NewLotteryForm(lotteries: Lotteries, items: Items) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let text = || RwSignal::new(String::new());
    let (name_zh, name_en, cost) = (text(), text(), text());
    let per_day = RwSignal::new("5".to_string());
    let next_key = StoredValue::new(1u32);
    let new_row = move || {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        PrizeDraft::new(key)
    };
    let prizes = RwSignal::new(vec![PrizeDraft::new(0)]);
    let said = RwSignal::new(None::<Result<String, String>>);
    let create = Intent::new(|new: NewLottery, _key: String| async move { api::admin_create_lottery(&new).await });
    let result = answer(said, create, move |f| lottery_failure(lang, f));
    // The running lottery, which a new one closes.
    let running = move || {
        lotteries.with(|l| {
            l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.lotteries.iter().find(|l| l.open)).map(|l| lang.pick(&l.name))
        })
    };
    // The odds typed so far (unreadable ones count as nothing until they are fixed).
    let odds_total = move || prizes.with(|ps| ps.iter().map(|r| r.odds.with(|o| percent_to_bp(o).unwrap_or(0))).sum::<i64>());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>();
        let (Ok(cost_points), Ok(draws_per_day)) = (number(cost), number(per_day)) else {
            said.set(Some(Err(p.ops_bad_number.to_string())));
            return;
        };
        let drafts = prizes.get_untracked();
        let list: Result<Vec<NewPrize>, &str> = drafts.iter().map(|d| d.prize(lang)).collect();
        let list = match list {
            Ok(list) => list,
            Err(words) => {
                said.set(Some(Err(words.to_string())));
                return;
            }
        };
        let new = NewLottery {
            name: I18nText { zh: name_zh.get_untracked().trim().into(), en: name_en.get_untracked().trim().into() },
            cost_points,
            draws_per_day,
            prizes: list,
        };
        if let Err(e) = check_lottery(&new) {
            said.set(Some(Err(lang.lottery_error(e).to_string())));
            return;
        }
        said.set(None);
        create.dispatch(new, move |_| {
            for s in [name_zh, name_en, cost] {
                s.try_set(String::new());
            }
            per_day.try_set("5".to_string());
            prizes.try_set(vec![new_row()]);
            said.try_set(Some(Ok(lang.p().lottery_created.to_string())));
            lotteries.refetch();
        });
    };

    view! {
        <form class="card ops-card campaign-form" on:submit=submit novalidate data-testid="lottery-form" aria-labelledby="lottery-form-heading">
            <h2 class="card-heading" id="lottery-form-heading">{p.lottery_new}</h2>
            <div class="field-row">
                <Field label=p.item_name_zh value=name_zh testid="lottery-name-zh" maxlength=40 />
                <Field label=p.item_name_en value=name_en testid="lottery-name-en" maxlength=40 />
            </div>
            <div class="field-row">
                <Field label=p.lottery_cost value=cost testid="lottery-cost" kind="number" />
                <Field label=p.lottery_per_day value=per_day testid="lottery-per-day" kind="number" />
            </div>
            <fieldset class="field prizes-field">
                <legend>{p.lottery_prizes}</legend>
                <For each=move || prizes.get() key=|r| r.key let:row>
                    <PrizeEditor row prizes items />
                </For>
                <button type="button" class="btn btn-outline btn-sm" data-testid="prize-add" disabled=move || prizes.with(|p| p.len() >= PRIZES_MAX)
                    on:click=move |_| { let row = new_row(); prizes.update(|p| p.push(row)); }>
                    {p.prize_add}
                </button>
            </fieldset>
            {move || {
                let total = odds_total();
                let over = total > i64::from(ODDS_SCALE);
                let line = if over { lang.odds_over(&percent(total)) } else { lang.no_prize_chance(&percent(i64::from(ODDS_SCALE) - total)) };
                view! { <p class="odds-line num" class:over=over data-testid="no-prize-odds">{line}</p> }
            }}
            {move || running().map(|name| view! { <p class="replace-note" data-testid="lottery-replaces">{lang.lottery_replaces(&name)}</p> })}
            <OpsResult result testid="lottery-result" />
            <button type="submit" class="btn btn-primary btn-block" data-testid="lottery-create" disabled=move || create.pending()>{p.lottery_create}</button>
        </form>
    }
}

/// One prize's fields: names, kind, its points or its item, odds, how many; removable
/// while there is another.
#[component]
fn PrizeEditor(row: PrizeDraft, prizes: RwSignal<Vec<PrizeDraft>>, items: Items) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let n = move || prizes.with(|ps| ps.iter().position(|r| r.key == row.key).map_or(0, |i| i + 1));
    let value = |k: PrizeKind| match k {
        PrizeKind::Points => "points",
        PrizeKind::Item => "item",
        PrizeKind::Coupon => "coupon",
    };
    let set_kind = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let kind =
            [PrizeKind::Points, PrizeKind::Item, PrizeKind::Coupon].into_iter().find(|k| value(*k) == v).unwrap_or(PrizeKind::Points);
        row.kind.set(kind);
        row.item.set(None);
    };
    view! {
        <fieldset class="prize-edit" data-testid="prize-row">
            <legend>{move || lang.prize_n(n())}</legend>
            <div class="field-row">
                <Field label=p.item_name_zh value=row.name_zh testid="prize-name-zh" maxlength=40 />
                <Field label=p.item_name_en value=row.name_en testid="prize-name-en" maxlength=40 />
            </div>
            <div class="field-row">
                <label class="field"><span>{p.item_kind}</span>
                    <select data-testid="prize-kind" on:change=set_kind>
                        {[PrizeKind::Points, PrizeKind::Item, PrizeKind::Coupon].into_iter().map(|k| view! {
                            <option value=value(k) selected=move || row.kind.get() == k>{kind_name(lang, k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || match row.kind.get() {
                    PrizeKind::Points => EitherOf3::A(view! { <Field label=p.prize_points value=row.points testid="prize-points" kind="number" /> }),
                    PrizeKind::Item => EitherOf3::B(view! { <ItemPicker row kind=ItemKind::Physical items /> }),
                    PrizeKind::Coupon => EitherOf3::C(view! { <ItemPicker row kind=ItemKind::Virtual items /> }),
                }}
            </div>
            <div class="field-row">
                <Field label=p.prize_odds value=row.odds testid="prize-odds" kind="decimal" placeholder="12.5" />
                <Field label=p.prize_stock value=row.stock testid="prize-stock" kind="number" />
            </div>
            <button type="button" class="btn btn-outline btn-sm" data-testid="prize-remove" disabled=move || prizes.with(|p| p.len() <= 1)
                on:click=move |_| prizes.update(|ps| ps.retain(|r| r.key != row.key))>
                {move || lang.remove_prize(n())}
            </button>
        </fieldset>
    }
}

/// The catalogue's items of one kind (physical for an item prize, vouchers for a coupon),
/// retired ones left out. Picking one names an unnamed prize after it.
#[component]
fn ItemPicker(row: PrizeDraft, kind: ItemKind, items: Items) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let label = match kind {
        ItemKind::Physical => p.prize_item,
        ItemKind::Virtual => p.prize_coupon,
    };
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev).parse::<i64>().ok();
        row.item.set(id);
        let name = id.and_then(|id| {
            items.with_untracked(|l| {
                l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|i| i.id == id)).map(|i| i.name.clone())
            })
        });
        if let Some(name) = name {
            if row.name_zh.get_untracked().trim().is_empty() && row.name_en.get_untracked().trim().is_empty() {
                row.name_zh.set(name.zh);
                row.name_en.set(name.en);
            }
        }
    };
    view! {
        <label class="field"><span>{label}</span>
            <select data-testid="prize-item" on:change=pick>
                <option value="" selected=move || row.item.get().is_none()>{p.prize_pick}</option>
                {move || items.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|i| i.kind == kind && !i.retired).map(|i| {
                    let id = i.id;
                    view! { <option value=id.to_string() selected=move || row.item.get() == Some(id)>{lang.pick(&i.name)}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
