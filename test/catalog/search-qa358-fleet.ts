/**
 * The fleet of QA 358's held-out set (test/fixtures/search-queries-qa358.json): a small shop's
 * shipping and logistics servers, a domain no other set covers as a whole — a multi-carrier
 * shipping platform twice (ShipStation: shipments, rates, labels, batches, manifests, carriers,
 * inventory; EasyPost: labels, trackers, refunds, insurance, customs, SCAN forms), Shippo, three
 * carriers (FedEx, UPS, DHL: tracking, proof of delivery, rates, transit times, pickups, locations,
 * landed cost), a 3PL (ShipBob: orders, inventory, receiving orders, returns), fleet telematics
 * (Samsara: locations, hours of service, inspections, safety events, IFTA), last-mile dispatch
 * (Onfleet) and freight forwarding (Flexport). Where each came from: tool-defs-qa358/SOURCES.md.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa358", `${file}.json`), "utf8")) as ToolDef[]

export const qa358Fleet: Array<[string, ToolDef[]]> = ["shipstation", "easypost", "shippo", "fedex", "ups", "dhl", "shipbob", "samsara", "onfleet", "flexport"].map((s): [string, ToolDef[]] => [s, read(s)])
