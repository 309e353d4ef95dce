package dev.shopmesh.platform.rpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ErrorResponse;
import io.vertx.grpc.reflection.v1.ExtensionNumberResponse;
import io.vertx.grpc.reflection.v1.FileDescriptorResponse;
import io.vertx.grpc.reflection.v1.ListServiceResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code grpc.reflection.v1.ServerReflection}, what {@code buf curl} and grpcurl read a server's
 * contracts from. The protocol is a bidirectional stream: a client asks several questions on one
 * stream and gets one answer each, until it closes its side. vertx-grpc-reflection 5.0.7 ends the
 * stream with its first answer, so every later question failed in the server ("The stream has been
 * closed", an ERROR with its stack per question: five for one {@code buf curl --list-methods}).
 * Services, files and the symbols in them are answered, each service with the methods this server
 * binds ({@link ServedMethods}); no contract here has extensions, so a message type has none and
 * an extension is NOT_FOUND. A question that asks nothing is INVALID_ARGUMENT.
 */
public final class ServerReflection implements Service {

  private static final ServiceName NAME = ServiceName.create("grpc.reflection.v1.ServerReflection");
  private static final ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> INFO = info(NAME);
  /**
   * The same protocol under the name it had before v1, which older clients (earlier grpcurl
   * releases, Evans) ask for; its messages are v1's on the wire. Without it they found no reflection.
   */
  static final ServiceName V1ALPHA = ServiceName.create("grpc.reflection.v1alpha.ServerReflection");

  private final ServedMethods methods;

  ServerReflection(ServedMethods methods) {
    this.methods = methods;
  }

  private static ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> info(ServiceName name) {
    return ServiceMethod.server(name, "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(ServerReflectionRequest.newBuilder()));
  }

  @Override
  public ServiceName name() {
    return NAME;
  }

  @Override
  public ServiceDescriptor descriptor() {
    return ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection");
  }

  @Override
  public void bind(GrpcServer server) {
    Handler<GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse>> questions = call -> {
      call.handler(question -> call.response().write(answer(server, question)));
      call.endHandler(v -> call.response().end());
    };
    server.callHandler(INFO, questions);
    server.callHandler(info(V1ALPHA), questions);
  }

  private ServerReflectionResponse answer(GrpcServer server, ServerReflectionRequest question) {
    ServerReflectionResponse.Builder answer = ServerReflectionResponse.newBuilder()
      .setValidHost(question.getHost()).setOriginalRequest(question);
    return switch (question.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        server.services().forEach(s -> list.addService(ServiceResponse.newBuilder().setName(s.name().fullyQualifiedName())));
        yield answer.setListServicesResponse(list).build();
      }
      case FILE_BY_FILENAME -> file(answer, question.getFileByFilename(), server, f -> f.getName().equals(question.getFileByFilename()));
      case FILE_CONTAINING_SYMBOL -> file(answer, question.getFileContainingSymbol(), server, f -> declares(f, question.getFileContainingSymbol()));
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = question.getAllExtensionNumbersOfType();
        yield served(server).stream().flatMap(f -> f.getMessageTypes().stream()).anyMatch(m -> isOrNests(m, type))
          ? answer.setAllExtensionNumbersResponse(ExtensionNumberResponse.newBuilder().setBaseTypeName(type)).build()
          : error(answer, GrpcStatus.NOT_FOUND, "no message type " + type);
      }
      case FILE_CONTAINING_EXTENSION -> error(answer, GrpcStatus.NOT_FOUND, "no extension "
        + question.getFileContainingExtension().getExtensionNumber() + " of " + question.getFileContainingExtension().getContainingType());
      case MESSAGEREQUEST_NOT_SET -> error(answer, GrpcStatus.INVALID_ARGUMENT, "the request asks nothing: set list_services, "
        + "file_by_filename, file_containing_symbol, file_containing_extension or all_extension_numbers_of_type");
    };
  }

  /** The files of the services served, with every file they import. */
  private static List<FileDescriptor> served(GrpcServer server) {
    return withImports(server.services().stream().map(Service::descriptor).filter(Objects::nonNull).map(ServiceDescriptor::getFile));
  }

  /** The first served file that {@code matches}, with every file it imports: a client needs them all to read it. */
  private ServerReflectionResponse file(ServerReflectionResponse.Builder answer, String asked, GrpcServer server,
                                        Predicate<FileDescriptor> matches) {
    return served(server).stream().filter(matches).findFirst()
      .map(f -> {
        FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
        withImports(Stream.of(f)).forEach(i -> files.addFileDescriptorProto(asServed(i).toByteString()));
        return answer.setFileDescriptorResponse(files).build();
      })
      .orElseGet(() -> error(answer, GrpcStatus.NOT_FOUND, "not found: " + asked));
  }

  /** {@code file} with only the services and methods this server binds. */
  private FileDescriptorProto asServed(FileDescriptor file) {
    FileDescriptorProto.Builder proto = file.toProto().toBuilder().clearService();
    file.getServices().stream().filter(methods::served).forEach(service -> {
      ServiceDescriptorProto.Builder kept = service.toProto().toBuilder().clearMethod();
      service.getMethods().stream().filter(methods::served).forEach(m -> kept.addMethod(m.toProto()));
      proto.addService(kept);
    });
    return proto.build();
  }

  private static ServerReflectionResponse error(ServerReflectionResponse.Builder answer, GrpcStatus status, String message) {
    return answer.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(status.code).setErrorMessage(message)).build();
  }

  /** The files and every file they import, each once, the given ones first. */
  private static List<FileDescriptor> withImports(Stream<FileDescriptor> files) {
    List<FileDescriptor> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Queue<FileDescriptor> frontier = files.collect(Collectors.toCollection(ArrayDeque::new));
    while (!frontier.isEmpty()) {
      FileDescriptor next = frontier.remove();
      if (seen.add(next.getName())) {
        all.add(next);
        frontier.addAll(next.getDependencies());
      }
    }
    return all;
  }

  /**
   * Whether {@code symbol} (a service or method served, a message, enum, nested ones included) is
   * declared in {@code file}.
   */
  private boolean declares(FileDescriptor file, String symbol) {
    return file.getServices().stream().filter(methods::served).anyMatch(s -> s.getFullName().equals(symbol)
        || s.getMethods().stream().filter(methods::served).anyMatch(m -> m.getFullName().equals(symbol)))
      || file.getEnumTypes().stream().anyMatch(e -> e.getFullName().equals(symbol))
      || file.getMessageTypes().stream().anyMatch(m -> declares(m, symbol));
  }

  private static boolean declares(Descriptor message, String symbol) {
    return message.getFullName().equals(symbol)
      || message.getEnumTypes().stream().map(EnumDescriptor::getFullName).anyMatch(symbol::equals)
      || message.getNestedTypes().stream().anyMatch(m -> declares(m, symbol));
  }

  private static boolean isOrNests(Descriptor message, String type) {
    return message.getFullName().equals(type) || message.getNestedTypes().stream().anyMatch(m -> isOrNests(m, type));
  }
}
