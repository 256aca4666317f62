package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopThread;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Host names to addresses without blocking a loop thread: Netty's asynchronous DNS resolver
 * ({@code netty-resolver-dns}), one per loop thread, reading {@code /etc/hosts} and the system's
 * DNS servers and search domains ({@code /etc/resolv.conf}) and ordering IPv4 and IPv6 addresses
 * as the JDK does ({@code java.net.preferIPv4Stack}, {@code java.net.preferIPv6Addresses}).
 * asyncio gets the same effect by running {@code getaddrinfo} in an executor; Netty's default,
 * {@code InetAddress.getByName} on the event loop, would stall every connection of that thread
 * while a DNS server is slow.
 */
final class NameResolution {
  /** One resolver group per transport: a DNS resolver's UDP channel must match its event loop. */
  private static final Map<Transport, AddressResolverGroup<InetSocketAddress>> GROUPS = new EnumMap<>(Transport.class);

  private NameResolution() {}

  /**
   * The resolver group connections and listeners of {@code transport} use unless told otherwise.
   *
   * @param transport the loop's transport
   * @return the shared group (its resolvers close when their event loop shuts down)
   */
  static synchronized AddressResolverGroup<InetSocketAddress> defaultGroup(Transport transport) {
    return GROUPS.computeIfAbsent(transport, t -> new DnsAddressResolverGroup(new DnsNameResolverBuilder()
        .datagramChannelType(switch (t) {
          case EPOLL -> EpollDatagramChannel.class;
          case IO_URING -> IoUringDatagramChannel.class;
          default -> NioDatagramChannel.class;
        })
        .socketChannelType(TransportChannels.socket(t))));
  }

  /**
   * The group {@code chosen} (an option), else the default for {@code transport}.
   *
   * @param chosen the resolver the options name, if any
   * @param transport the loop's transport
   * @return the group to use
   */
  static AddressResolverGroup<InetSocketAddress> groupFor(Optional<AddressResolverGroup<InetSocketAddress>> chosen,
      Transport transport) {
    return chosen.orElseGet(() -> defaultGroup(transport));
  }

  /**
   * Resolves {@code host:port} on {@code loop}'s thread without blocking it; an IP address
   * literal needs no lookup and settles at once.
   *
   * @param loop the calling loop thread (the promise's owner)
   * @param group the resolver group
   * @param host a host name or an IP address literal
   * @param port the port
   * @return a promise of the resolved address; fails with {@link UnknownHostException} naming
   *     the host when it has no address
   */
  static Promise<InetSocketAddress> resolve(LoopThread loop, AddressResolverGroup<InetSocketAddress> group,
      String host, int port) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal != null) {
      try {
        return Promise.completed(new InetSocketAddress(InetAddress.getByAddress(host, literal), port));
      } catch (UnknownHostException impossible) { // only for a wrong length, which a parsed literal never has
        return Promise.failed(impossible);
      }
    }
    AddressResolver<InetSocketAddress> resolver = group.getResolver(loop.executor());
    LeafPromise<InetSocketAddress> resolved = new LeafPromise<>(loop);
    io.netty.util.concurrent.Future<InetSocketAddress> lookup =
        resolver.resolve(InetSocketAddress.createUnresolved(host, port));
    resolved.onCancel(() -> lookup.cancel(false));
    lookup.addListener(f -> {
      if (f.isSuccess()) {
        resolved.complete(lookup.getNow());
      } else {
        resolved.fail(namingTheHost(host, f.cause()));
      }
    });
    return resolved;
  }

  /**
   * {@code failure} if it names {@code host}, else an {@link UnknownHostException} that does,
   * with {@code failure} as its cause (a user's resolver may say less).
   *
   * @param host the host that failed to resolve
   * @param failure the resolver's failure
   * @return an exception naming the host
   */
  static Throwable namingTheHost(String host, Throwable failure) {
    if (failure instanceof UnknownHostException && String.valueOf(failure.getMessage()).contains(host)) {
      return failure;
    }
    UnknownHostException named = new UnknownHostException(host + ": " + failure.getMessage());
    named.initCause(failure);
    return named;
  }
}
