package dev.shopmesh.payment.api;

import dev.shopmesh.payment.charge.Card;
import dev.shopmesh.payment.charge.Charge;
import dev.shopmesh.payment.charge.ChargeRequest;
import dev.shopmesh.payment.charge.Processor;
import dev.shopmesh.payment.store.ChargeStore;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.payment.v1.ChargeResponse;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.proto.payment.v1.GetChargeRequest;
import dev.shopmesh.proto.payment.v1.GetChargeResponse;
import dev.shopmesh.proto.payment.v1.ListChargesRequest;
import dev.shopmesh.proto.payment.v1.ListChargesResponse;
import dev.shopmesh.proto.payment.v1.PaymentServiceService;
import dev.shopmesh.proto.payment.v1.RefundRequest;
import dev.shopmesh.proto.payment.v1.RefundResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;

import java.time.Clock;
import java.time.YearMonth;
import java.util.logging.Logger;

/** The gRPC face of payment-service. */
public final class PaymentGrpc extends PaymentServiceService {

  private final Vertx vertx;
  private final ChargeStore store;
  private final long replyDelayMillis;
  private final Faults faults;
  private final Logger log;
  private final Clock clock;

  /**
   * @param replyDelayMillis fault injection for tests and demos (SHOPMESH_FAULT_CHARGE_REPLY_DELAY_MS):
   *                         each charge is committed, then answered this much later, which is how a
   *                         caller's deadline can expire after the charge went through. 0 in production.
   * @param clock            what "now" is for a card's expiry: UTC, so that every replica agrees
   */
  public PaymentGrpc(Vertx vertx, ChargeStore store, long replyDelayMillis, Faults faults, Logger log, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.replyDelayMillis = replyDelayMillis;
    this.faults = faults;
    this.log = log;
    this.clock = clock;
  }

  @Override
  public Future<ChargeResponse> charge(dev.shopmesh.proto.payment.v1.ChargeRequest proto) {
    ChargeRequest request = new ChargeRequest(proto.getIdempotencyKey(), proto.getOrderId(), proto.getAmountCents(),
      proto.getCurrency(), new Card(proto.getCard().getCardNumber(), proto.getCard().getExpiry(), proto.getCard().getCvv()));
    return Rpc.reply(log, "Charge", chargeOnce(request)
      .map(charge -> {
        if (!charge.isTombstone() && !charge.sameRequestAs(request)) {
          throw Failure.conflict("idempotencyKey '" + request.key() + "' was already used for a different charge");
        }
        return ChargeResponse.newBuilder().setCharge(toProto(charge)).build();
      })
      .compose(reply -> replyDelayMillis == 0 ? Future.succeededFuture(reply) : vertx.timer(replyDelayMillis).map(reply)));
  }

  /**
   * One statement for a new charge: the insert is the key check, and a retry gets the stored one.
   * A request that fails validation may still be the retry of a charge stored when it passed (its
   * card has expired since), which is answered as stored rather than refused with the money taken.
   */
  private Future<Charge> chargeOnce(ChargeRequest request) {
    try {
      Processor.validate(request, YearMonth.now(clock));
    } catch (Failure invalid) {
      return store.find(request.key()).map(stored -> stored.filter(charge -> charge.sameRequestAs(request))
        .orElseThrow(() -> invalid));
    }
    Charge decided = Processor.decide(request);
    return store.insertOrGet(decided).map(stored -> {
      if (stored.id().equals(decided.id())) {
        faults.chargeCommitted();
      }
      return stored;
    });
  }

  @Override
  public Future<RefundResponse> refund(RefundRequest request) {
    return Rpc.reply(log, "Refund", requireKey(request.getIdempotencyKey())
      .compose(store::refund)
      .map(refunded -> RefundResponse.newBuilder().setRefunded(refunded).build()));
  }

  @Override
  public Future<GetChargeResponse> getCharge(GetChargeRequest request) {
    return Rpc.reply(log, "GetCharge", requireKey(request.getIdempotencyKey())
      .compose(store::find)
      .map(found -> found
        .map(c -> GetChargeResponse.newBuilder().setCharge(toProto(c)).build())
        .orElseThrow(() -> Failure.notFound("no charge under idempotencyKey '" + request.getIdempotencyKey() + "'"))));
  }

  @Override
  protected void listCharges(ListChargesRequest request, WriteStream<ListChargesResponse> response) {
    Rpc.streamPages(log, "ListCharges", last -> store.page(last == null ? "" : last.getCharge().getOrderId(),
        last == null ? "" : last.getCharge().getIdempotencyKey(), Rpc.STREAM_PAGE)
      .map(charges -> charges.stream().map(c -> ListChargesResponse.newBuilder().setCharge(toProto(c)).build()).toList()),
      Rpc.STREAM_PAGE, response);
  }

  private static Future<String> requireKey(String key) {
    return key.isBlank() ? Future.failedFuture(Failure.invalid("idempotencyKey is required")) : Future.succeededFuture(key);
  }

  static dev.shopmesh.proto.payment.v1.Charge toProto(Charge c) {
    return dev.shopmesh.proto.payment.v1.Charge.newBuilder()
      .setId(c.id()).setIdempotencyKey(c.key()).setOrderId(c.orderId())
      .setAmountCents(c.amountCents()).setCurrency(c.currency())
      .setStatus(switch (c.status()) {
        case APPROVED -> ChargeStatus.CHARGE_STATUS_APPROVED;
        case DECLINED -> ChargeStatus.CHARGE_STATUS_DECLINED;
        case REFUNDED -> ChargeStatus.CHARGE_STATUS_REFUNDED;
      })
      .setDeclineReason(c.declineReason()).setCardLast4(c.cardLast4())
      .build();
  }
}
