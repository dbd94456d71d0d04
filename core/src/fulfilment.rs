//! Physical rewards reach members: their address book, the copy an order keeps, and the
//! operator's order queue (ship with a carrier and tracking number, deliver, cancel).

use serde::{Deserialize, Serialize};

use crate::{
    cash::Cash,
    dto::{I18nText, Order, OrderStatus, ShipTo},
};

/// A delivery address in the member's book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// Address id.
    pub id: i64,
    /// Who receives it.
    #[serde(flatten)]
    pub to: ShipTo,
    /// The one a redeem offers first.
    pub is_default: bool,
}

/// `POST /api/addresses` and `PUT /api/addresses/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Where to.
    #[serde(flatten)]
    pub to: ShipTo,
    /// Make it the default (the member's first address is the default anyway).
    #[serde(default)]
    pub is_default: bool,
}

/// The most addresses a member keeps.
pub const MAX_ADDRESSES: usize = 20;

/// `POST /api/admin/orders/{id}/ship` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShipRequest {
    /// The carrier, 1–30 characters (e.g. 顺丰速运).
    pub carrier: String,
    /// Its tracking number, 4–40 letters, digits and dashes.
    pub tracking_no: String,
}

/// `POST /api/admin/orders/{id}/cancel` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why (shown to the member), 1–200 characters.
    pub reason: String,
}

/// An order in the operator's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminOrder {
    /// The order as the member sees it (with its address, carrier and tracking number).
    #[serde(flatten)]
    pub order: Order,
    /// Who redeemed it.
    pub member_id: i64,
    /// The member's name.
    pub member_name: I18nText,
    /// The id of the host payment of its cash part (made with the order, given to the host
    /// in the payment request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// The cash the host collected, when it confirmed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash_paid: Option<Cash>,
    /// A paid order the shop cancelled: the cash the host is to refund to the member (the
    /// points came back at the cancel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash_refund_due: Option<Cash>,
}

/// A page of the operator's order queue, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminOrderPage {
    /// The orders.
    pub orders: Vec<AdminOrder>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// `GET /api/admin/orders` and `…/orders.csv` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AdminOrderQuery {
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// An order id, a member id, or part of a member's or item's name, or a tracking number.
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

/// A CSV cell: quoted, with a leading `'` before `=`, `+`, `-` or `@` so a spreadsheet
/// shows it as text instead of running it as a formula.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-2", "@SUM(A1)"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky}");
        }
    }

    #[test]
    fn addresses() {
        let ok = ShipTo {
            name: "林晓雨".into(),
            phone: "138 0013 8000".into(),
            region: "上海市 静安区".into(),
            detail: "南京西路 1266 号".into(),
        };
        assert_eq!(ok.validate(), Ok(()));
        assert!(ShipTo { phone: "call me".into(), ..ok.clone() }.validate().is_err());
        assert!(ShipTo { name: " ".into(), ..ok.clone() }.validate().is_err());
        assert!(ShipTo { detail: "x".repeat(121), ..ok.clone() }.validate().is_err());
        // Text people read: the app tells the fields apart by the message's first word.
        assert!(ShipTo { name: "张\u{202e}三".into(), ..ok.clone() }.validate().is_err_and(|m| m.starts_with("name")));
        assert!(ShipTo { region: "上海\u{0}".into(), ..ok.clone() }.validate().is_err_and(|m| m.starts_with("region")));
        assert!(ShipTo { detail: "1 号\u{2066}楼".into(), ..ok }.validate().is_err_and(|m| m.starts_with("region")));
    }
}
