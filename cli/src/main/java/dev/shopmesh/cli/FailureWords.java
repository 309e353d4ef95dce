package dev.shopmesh.cli;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What the CLI says of a failure: in words, never an exception's class name when there are words. */
final class FailureWords {

  private FailureWords() {
  }

  /** The failure inside the wrappers of futures. */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A one-line reason, since the HTTP client's exceptions often carry no message. */
  static String describe(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof HttpConnectTimeoutException) {
      return "no connection within " + Gateway.CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + Gateway.REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (cause instanceof ConnectException) {
      // Java's HTTP client reports a name that does not resolve as a failed connection too.
      for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
        if (inner instanceof UnresolvedAddressException) {
          return "the host name does not resolve";
        }
      }
      return "connection refused";
    }
    if (cause instanceof SSLException && String.valueOf(cause.getMessage()).contains("Unrecognized SSL message")) {
      // https:// to a server answering plain HTTP, as the gateway does unless given a certificate.
      return "the server answered without TLS (the gateway serves http://, not https://)";
    }
    if (cause instanceof SSLException && String.valueOf(cause.getMessage()).contains("PKIX path building failed")) {
      // A self-signed certificate, or one of a private authority: Java said "PKIX path building failed: sun.security…".
      return "the gateway's certificate is not trusted (set " + GatewayTrust.CERT_FILE + " to it, the file ./shopmesh up"
        + " was given, or to the authority that signed it)";
    }
    if (cause instanceof SSLException && (String.valueOf(cause.getMessage()).contains("No subject alternative names")
      || String.valueOf(cause.getMessage()).contains("No name matching"))) {
      // Java's words alone ("No subject alternative names present") did not say what to change.
      return "the gateway's certificate is not for the host in the address (" + cause.getMessage() + "): use a name or"
        + " address the certificate lists";
    }
    if (cause instanceof FileSystemException file && file.getReason() == null) {
      // Java names only the file for these: "cannot write the ids file /x/y: /x/y".
      return cause instanceof NoSuchFileException ? "no such file or directory"
        : cause instanceof FileAlreadyExistsException ? "a file is in the way"
        : cause instanceof AccessDeniedException ? "permission denied"
        : cause instanceof NotDirectoryException ? "not a directory" : cause.getClass().getSimpleName();
    }
    // What went wrong in words when there are any ("Is a directory"), not the exception's class name.
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
