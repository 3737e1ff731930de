#!/usr/bin/env python3
"""Writes the made-up sample month in data/samples/ (All Orders in CP932, the JP shipping
confirmation template, the feedback report). Run from the project root; the output is committed."""
import random, datetime
random.seed(202610)
cols = "amazon-order-id	merchant-order-id	purchase-date	last-updated-date	order-status	fulfillment-channel	sales-channel	order-channel	url	ship-service-level	product-name	sku	asin	number-of-items	item-status	tax-collection-model	tax-collection-responsible-party	quantity	currency	item-price	item-tax	shipping-price	shipping-tax	gift-wrap-price	gift-wrap-tax	item-promotion-discount	ship-promotion-discount	ship-city	ship-state	ship-postal-code	ship-country	promotion-ids	payment-method-details	item-extensions-data	points-granted	is-business-order	purchase-order-number	price-designation	buyer-company-name	customized-url	customized-page	is-replacement-order	is-exchange-order	original-order-id	licensee-name	license-number	license-state	license-expiration-date	is-transparency	default-ship-from-address-name	default-ship-from-address-field-1	default-ship-from-address-field-2	default-ship-from-address-field-3	default-ship-from-city	default-ship-from-state	default-ship-from-country	default-ship-from-postal-code	actual-ship-from-address-name	actual-ship-from-address-field-1	actual-ship-from-address-field-2	actual-ship-from-address-field-3	actual-ship-from-city	actual-ship-from-state	actual-ship-from-country	actual-ship-from-postal-code	is-ispu-order	store-chain-store-id	is-buyer-requested-cancellation	buyer-requested-cancel-reason	ioss-number	serial-numbers	is-shipping-settings-automation-enabled	ssa-carrier	ssa-ship-method".split("\t")
products = [
 ("SZ-MUG-01","B0SZMUG001","【さくら雑貨】波佐見焼 マグカップ 藍 300ml ①番窯",1980),
 ("SZ-TNG-02","B0SZTNG002","【さくら雑貨】手ぬぐい 桜柄 綿100％ ～春の便り～",1200),
 ("SZ-HSI-03","B0SZHSI003","【さくら雑貨】竹箸 5膳セット ㈱竹工房監修",1500),
 ("SZ-FRS-04","B0SZFRS004","【さくら雑貨】風呂敷 ﾁｰﾌ 70cm 綿",2200),
 ("SZ-CHA-05","B0SZCHA005","【さくら雑貨】有田焼 湯呑み 2客 ペア",3300),
]
prefs = ["東京都","大阪府","北海道","福岡県","愛知県","神奈川県","京都府","宮城県","広島県","沖縄県"]
def oid():
    return "%03d-%07d-%07d" % (random.choice([249,250,503]), random.randrange(10**7), random.randrange(10**7))
jst = datetime.timezone(datetime.timedelta(hours=9))
orders = []
start = datetime.datetime(2026,10,1,8,0,tzinfo=jst)
for i in range(24):
    t = start + datetime.timedelta(hours=random.randrange(0, 29*24), minutes=random.randrange(60), seconds=random.randrange(60))
    ful = "Amazon" if i % 5 == 3 else "Merchant"
    items = [random.choice(products)]
    if i % 7 == 2: items.append(random.choice([p for p in products if p != items[0]]))
    orders.append(dict(id=oid(), t=t, ful=ful, items=items, pref=random.choice(prefs), level="Expedited" if i % 6 == 0 else "Standard"))
orders.sort(key=lambda o: o["t"], reverse=True)
# Fixed story orders (referred to by the feedback report and, later, the mail sample).
story = {
  "declined": dict(id="503-2417785-6630118", t=datetime.datetime(2026,10,9,21,14,5,tzinfo=jst), ful="Merchant", items=[products[0]], pref="東京都", level="Standard"),
  "product":  dict(id="249-8830124-5512907", t=datetime.datetime(2026,10,3,10,2,41,tzinfo=jst), ful="Merchant", items=[products[2]], pref="大阪府", level="Standard"),
  "phone":    dict(id="250-6672019-3381455", t=datetime.datetime(2026,10,12,15,40,2,tzinfo=jst), ful="Merchant", items=[products[1]], pref="愛知県", level="Standard"),
  "fba":      dict(id="503-9105532-1176240", t=datetime.datetime(2026,10,5,19,22,50,tzinfo=jst), ful="Amazon", items=[products[4]], pref="福岡県", level="Expedited"),
}
orders = list(story.values()) + orders
orders.sort(key=lambda o: o["t"], reverse=True)
now = datetime.datetime(2026,10,31,23,0,tzinfo=jst)
lines = ["\t".join(c if c != "ssa-ship-method" else "ssa-ship-method " for c in cols)]
ships = []
for o in orders:
    shipped = o["t"] + datetime.timedelta(days=2) < now
    status = "Shipped" if shipped else "Pending"
    upd = o["t"] + datetime.timedelta(days=1, hours=3) if shipped else o["t"] + datetime.timedelta(minutes=5)
    for p in o["items"]:
        r = dict.fromkeys(cols, "")
        r.update({"amazon-order-id": o["id"], "merchant-order-id": o["id"] if o["ful"]=="Amazon" else "",
          "purchase-date": o["t"].isoformat(), "last-updated-date": upd.isoformat(), "order-status": status,
          "fulfillment-channel": o["ful"], "sales-channel": "Amazon.co.jp", "order-channel": "WebsiteOrderChannel" if o["ful"]=="Merchant" else "",
          "ship-service-level": o["level"], "product-name": p[2], "sku": p[0], "asin": p[1], "number-of-items": "1" if o["ful"]=="Merchant" else "",
          "item-status": "Shipped" if shipped else "Unshipped", "quantity": "1", "currency": "JPY", "item-price": "%.1f" % p[3],
          "item-tax": "%.1f" % round(p[3]/11), "ship-state": o["pref"], "ship-postal-code": "%03d-%04d" % (random.randrange(100,999), random.randrange(10000)),
          "ship-country": "JP", "payment-method-details": "Standard", "is-business-order": "false", "is-replacement-order": "false",
          "is-exchange-order": "false", "is-transparency": "false", "is-ispu-order": "false", "is-buyer-requested-cancellation": "false",
          "is-shipping-settings-automation-enabled": "false"})
        if o["ful"] == "Merchant":
            r.update({"default-ship-from-address-name": "さくら雑貨", "default-ship-from-city": "金沢市", "default-ship-from-state": "石川県",
                      "default-ship-from-country": "JP", "default-ship-from-postal-code": "920-0000"})
        lines.append("\t".join(r[c] for c in cols))
        if shipped and o["ful"] == "Merchant":
            ships.append((o, p))
open("data/samples/2026-10_all_orders.txt","wb").write(("\n".join(lines)+"\n").encode("cp932"))

# Shipping confirmation in the JP template (three header rows), as the seller uploaded it.
carriers = [("ヤマト運輸","宅配便"),("日本郵便","クリックポスト"),("日本郵便","ゆうパケット"),("佐川急便","宅配便")]
sl = ["TemplateType=OrderFulfillment\tVersion=2011.1102\tこの行はAmazonが使用しますので変更や削除しないでください。",
      "注文番号\t注文商品番号\t出荷数\t出荷日\t配送業者コード\t配送業者名\tお問い合わせ伝票番号\t配送方法\t代金引換",
      "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\tcod-collection-method"]
for o, p in sorted(ships, key=lambda x: x[0]["t"]):
    days = 2
    if o["id"] == story["declined"]["id"]: days = 2  # shipped within handling time, after declining to expedite
    d = (o["t"] + datetime.timedelta(days=days)).date()
    cname, method = random.choice(carriers)
    tracking = "%04d-%04d-%04d" % (random.randrange(10000), random.randrange(10000), random.randrange(10000))
    sl.append("\t".join([o["id"], "", "1", d.isoformat(), "Other", cname, tracking, method, ""]))
open("data/samples/2026-10_shipping_confirmation.txt","wb").write(("\n".join(sl)+"\n").encode("cp932"))

# Feedback report: six columns, Japanese header text (recognised by shape), 1-3 star ratings only.
fb = ["日付\t評価\tコメント\t出品者の回答\t注文番号\t評価者のEメール",
      "2026/10/14\t1\t発送が遅すぎる。急いでいると伝えたのに。\t\t%s\tx7k2m9q4w1z8c3v@marketplace.amazon.co.jp" % story["declined"]["id"],
      "2026/10/8\t2\t箸の長さが思っていたより短かった。\t\t%s\tb4n8r2t6y1u3i5o@marketplace.amazon.co.jp" % story["product"]["id"],
      "2026/10/18\t1\t対応が悪い。担当者に電話してください 090-1234-5678\t\t%s\tp9l3k7j2h5g1f4d@marketplace.amazon.co.jp" % story["phone"]["id"],
      "2026/10/9\t2\t届くのが遅かった\t\t%s\tq2w4e6r8t1y3u5i@marketplace.amazon.co.jp" % story["fba"]["id"]]
open("data/samples/2026-10_feedback.txt","wb").write(("\n".join(fb)+"\n").encode("cp932"))
print(len(lines)-1, "order rows", len(orders), "orders", len(sl)-3, "shipments")
