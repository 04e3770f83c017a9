/**
 * The classes of miss QA 358's set left, each as a rule of src/catalog/search, checked with
 * requests that are in no set (over QA 358's fleet of shipping and logistics, and others).
 */
import { describe, expect, test } from "bun:test"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa358Fleet } from "./search-qa358-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const shipping = fleetIndex(qa358Fleet)
const rank = (q: string, tool: string) => shipping.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const strongFirst = (q: string, tool: string) => {
  const hit = shipping.search(q, { limit: 5 })[0]
  expect(hit?.tool.name).toBe(tool)
  expect(hit?.weak).toBeFalsy()
}

describe("a shipping desk's and a dispatcher's words (synonyms.ts, QA 358)", () => {
  test("a truck, a van is a vehicle of the fleet", () => {
    // (once: a freight shipment first, "truck" met no vehicle; the vans' list weak)
    strongFirst("where's box truck 12 at the moment", "samsara__get_vehicle_locations")
    strongFirst("list the vans in the fleet", "samsara__list_vehicles")
  })
  test("an rma is a return; postage is a carrier's balance; the cheapest is among the rates", () => {
    // (once: the return's maker not in the first three; adding funds weak; the rate tool weak, third)
    expect(rank("open an rma for 3 items of shipment 77120", "shipbob__create_return")).toBeLessThan(2)
    strongFirst("cheapest option to mail a 1 lb envelope with ups to 30301", "ups__ups_rate_shop")
    expect(shipping.search("how much postage do we have on the usps account", { limit: 3 }).every((h) => !h.weak)).toBe(true)
  })
  test("to reprint a thing gets it again, it does not make it anew", () => {
    // (once: the label getter first but weak, beside voiding and buying a label)
    strongFirst("reprint label se-lbl-5512", "shipstation__get_label")
  })
})

describe("a shipping desk's phrases (synonyms.ts, QA 358)", () => {
  test("money back is a refund; topping up adds funds", () => {
    // (once: buying the label first for "money back"; the funds tool weak)
    strongFirst("i want my money back for the easypost label on shipment shp_991", "easypost__refund_shipment")
    strongFirst("top up the stamps.com balance with $200", "shipstation__add_funds_to_carrier")
  })
  test("who signed for a parcel is its proof of delivery; out for delivery is a tracking status", () => {
    // (once: the tracking tool first; the delivery photo first, no tracker in the first three)
    strongFirst("who signed for the dhl parcel 99887766", "dhl__dhl_get_proof_of_delivery")
    strongFirst("how many parcels are out for delivery today", "easypost__list_trackers")
  })
  test("a parcel that cleared customs asks its tracking; how long until someone gets there is an ETA", () => {
    // (once: the FedEx locations first, no tracking tool in the first three; the pickup bookers first)
    strongFirst("has the fedex box 771122 cleared customs", "fedex__fedex_track_by_tracking_number")
    strongFirst("how long until the courier gets to the bakery on 3rd", "onfleet__get_team_eta")
  })
})

describe("a thing issued for value or signature, cancelled, is voided (senses.ts, QA 358)", () => {
  test("cancel a label: void it; cancel an envelope: void it; cancelling an order or a pickup is untouched", () => {
    // (once: every hit weak, cancelling a pickup first; for the envelope, the envelope makers first, weak)
    strongFirst("cancel label se-lbl-1120, wrong address", "shipstation__void_label")
    strongFirst("cancel the shipstation labels for batch 33", "shipstation__void_label")
    const people = fleetIndex(qa286Fleet).search("cancel the docusign envelope for the offer letter", { limit: 5 })[0]
    expect(people?.tool.name).toBe("docusign__void_envelope")
    expect(people?.weak).toBeFalsy()
    strongFirst("cancel shipbob order 55012", "shipbob__cancel_order")
    strongFirst("cancel ups pickup PRN 1234", "ups__ups_cancel_pickup")
  })
})

describe("a tool whose summary opens with the request's verb does it, whatever its name's verb (index.ts, text-verb.ts, QA 358)", () => {
  test("schedule a pickup: the create_pickup tool that says \"Schedule a pickup\" is first, not one that cancels or refunds", () => {
    // (once: shippo's create_refund first: create_pickup was read as creating, scheduling only as a side effect)
    strongFirst("schedule a shippo pickup for transactions t1 and t2 tomorrow 9-12", "shippo__shippo_create_pickup")
    strongFirst("schedule a fedex pickup", "fedex__fedex_create_pickup")
  })
})
