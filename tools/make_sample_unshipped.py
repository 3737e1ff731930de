#!/usr/bin/env python3
"""Writes data/samples/2026-10-10_unshipped.txt: an Unshipped Orders snapshot with the ship-by
promises, in CP932. Its buyer columns hold made-up values, to show that fbtrack never stores them."""
cols = "order-id	order-item-id	purchase-date	payments-date	reporting-date	promise-date	days-past-promise	buyer-email	buyer-name	payment-method-details	buyer-phone-number	sku	number-of-items	product-name	quantity-purchased	quantity-shipped	quantity-to-ship	ship-service-level	ship-service-name	recipient-name	ship-address-1	ship-address-2	ship-address-3	ship-city	ship-state	ship-postal-code	ship-country	gift-wrap-type	gift-message-text	payment-method	cod-collectible-amount	already-paid	payment-method-fee	scheduled-delivery-start-date	scheduled-delivery-end-date	customized-url	customized-page	points-granted	is-business-order	purchase-order-number	price-designation	is-prime	shipment-status	is-premium-order	buyer-company-name	licensee-name	license-number	license-state	license-expiration-date	is-replacement-order	is-exchange-order	original-order-id	is-transparency	default-ship-from-address-name	default-ship-from-address-field-1	default-ship-from-address-field-2	default-ship-from-address-field-3	default-ship-from-city	default-ship-from-state	default-ship-from-country	default-ship-from-postal-code	is-ispu-order	store-chain-store-id	is-buyer-requested-cancellation	buyer-requested-cancel-reason	ioss-number	is-shipping-settings-automation-enabled	ssa-carrier	ssa-ship-method	tax-collection-model	tax-collection-responsible-party".split("\t")
rows = [
 dict(oid="503-7175172-2144855", item="41527360918243", pd="2026-10-08T17:23:10+00:00", promise="2026-10-10T14:59:59+00:00", past="0",
      sku="SZ-MUG-01", name="【さくら雑貨】波佐見焼 マグカップ 藍 300ml ①番窯", state="神奈川県", buyer="鈴木 一郎", addr="中央区本町9-9-9"),
 dict(oid="503-2417785-6630118", item="07293846150372", pd="2026-10-09T12:14:05+00:00", promise="2026-10-11T14:59:59+00:00", past="-1",
      sku="SZ-MUG-01", name="【さくら雑貨】波佐見焼 マグカップ 藍 300ml ①番窯", state="東京都", buyer="山田 太郎", addr="世田谷区桜1-2-3"),
]
lines = ["\t".join(cols)]
for r in rows:
    d = dict.fromkeys(cols, "")
    d.update({"order-id": r["oid"], "order-item-id": r["item"], "purchase-date": r["pd"], "payments-date": r["pd"],
              "reporting-date": "2026-10-09T23:00:00+00:00", "promise-date": r["promise"], "days-past-promise": r["past"],
              "buyer-email": "example0%s@marketplace.amazon.co.jp" % r["item"][-4:], "buyer-name": r["buyer"],
              "payment-method-details": "Standard", "buyer-phone-number": "03-0000-0000", "sku": r["sku"], "number-of-items": "1",
              "product-name": r["name"], "quantity-purchased": "1", "quantity-shipped": "0", "quantity-to-ship": "1",
              "ship-service-level": "Standard", "ship-service-name": "通常配送", "recipient-name": r["buyer"], "ship-address-1": r["addr"],
              "ship-city": "市区町村", "ship-state": r["state"], "ship-postal-code": "100-0000", "ship-country": "JP",
              "payment-method": "Other", "is-business-order": "false", "is-prime": "false", "shipment-status": "",
              "is-premium-order": "false", "is-replacement-order": "false", "is-exchange-order": "false", "is-transparency": "false",
              "default-ship-from-address-name": "さくら雑貨", "default-ship-from-city": "金沢市", "default-ship-from-state": "石川県",
              "default-ship-from-country": "JP", "default-ship-from-postal-code": "920-0000", "is-ispu-order": "false",
              "is-buyer-requested-cancellation": "false", "is-shipping-settings-automation-enabled": "false"})
    lines.append("\t".join(d[c] for c in cols))
open("data/samples/2026-10-10_unshipped.txt", "wb").write(("\n".join(lines) + "\n").encode("cp932"))
