CREATE TABLE "api_idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shop_orders" (
	"order_id" bigint PRIMARY KEY NOT NULL,
	"pid" text NOT NULL,
	"out_trade_no" text NOT NULL,
	"type" text,
	"name" text NOT NULL,
	"money" text NOT NULL,
	"param" text,
	"notify_url" text NOT NULL,
	"return_url" text,
	"client_ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "web_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"order_id" bigint,
	"event_id" text,
	"body" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "web_deliveries_kind_valid" CHECK ("web_deliveries"."kind" in ('shop_notify','event')),
	CONSTRAINT "web_deliveries_status_valid" CHECK ("web_deliveries"."status" in ('pending','delivered','failed'))
);
--> statement-breakpoint
CREATE TABLE "web_delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"http_status" integer,
	"outcome" text NOT NULL,
	"detail" text
);
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_channel_valid";--> statement-breakpoint
DROP INDEX "orders_pending_payable_key";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD CONSTRAINT "shop_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_deliveries" ADD CONSTRAINT "web_deliveries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_delivery_attempts" ADD CONSTRAINT "web_delivery_attempts_delivery_id_web_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."web_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shop_orders_pid_out_trade_no_key" ON "shop_orders" USING btree ("pid","out_trade_no");--> statement-breakpoint
CREATE INDEX "web_deliveries_due_idx" ON "web_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "web_deliveries_order_idx" ON "web_deliveries" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "web_deliveries_event_id_key" ON "web_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "web_delivery_attempts_delivery_idx" ON "web_delivery_attempts" USING btree ("delivery_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_pending_payable_key" ON "orders" USING btree (coalesce("provider", 'any'),"payable_fen") WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_channel_valid" CHECK ("customers"."channel" in ('telegram','api','shop'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_provider_valid" CHECK ("orders"."provider" in ('alipay','wechat'));--> statement-breakpoint
-- Payable amounts are unique per provider now (an order without one, from before providers, holds the amount
-- for "any"): the allocation's fresh-snapshot check reads the same scope as the unique index.
DROP FUNCTION payable_amount_taken(integer);--> statement-breakpoint
CREATE FUNCTION payable_amount_taken(fen integer, scope text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM orders WHERE status = 'pending' AND payable_fen = fen AND coalesce(provider, 'any') = scope
  );
END
$$;
