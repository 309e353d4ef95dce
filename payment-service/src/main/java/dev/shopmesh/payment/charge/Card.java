package dev.shopmesh.payment.charge;

/** A card as typed. Never stored: only {@link #last4()} is. */
public record Card(String number, String expiry, String cvv) {

  public String last4() {
    return number.length() >= 4 ? number.substring(number.length() - 4) : number;
  }
}
