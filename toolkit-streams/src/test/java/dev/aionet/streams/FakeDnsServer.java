package dev.aionet.streams;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server on 127.0.0.1 (UDP, its own thread) that knows a few names, each answered with an
 * A record after a delay of its own; every other name gets NXDOMAIN at once.
 */
final class FakeDnsServer implements AutoCloseable {
  /** A name it knows: where it points and how long the answer takes. */
  record Entry(byte[] ipv4, Duration delay) {}

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  FakeDnsServer(Map<String, Entry> names) throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                    DnsQuestion asked = query.recordAt(DnsSection.QUESTION);
                    String name = asked.name().endsWith(".") ? asked.name().substring(0, asked.name().length() - 1)
                        : asked.name();
                    DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
                    response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(asked.name(), asked.type()));
                    Entry entry = names.get(name);
                    if (entry == null) {
                      response.setCode(DnsResponseCode.NXDOMAIN);
                      ctx.writeAndFlush(response);
                      return;
                    }
                    if (asked.type() == DnsRecordType.A) {
                      response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(asked.name(), DnsRecordType.A, 60,
                          Unpooled.wrappedBuffer(entry.ipv4())));
                    }
                    ctx.executor().schedule(() -> ctx.writeAndFlush(response), entry.delay().toMillis(),
                        TimeUnit.MILLISECONDS);
                  }
                });
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /**
   * A resolver that asks only this server, for IPv4 addresses, with a query timeout well above
   * any delay here.
   */
  DnsAddressResolverGroup resolver(Class<? extends DatagramChannel> channelType) {
    return new DnsAddressResolverGroup(new DnsNameResolverBuilder()
        .datagramChannelType(channelType)
        .nameServerProvider(new SingletonDnsServerAddressStreamProvider(address()))
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
        .queryTimeoutMillis(20_000));
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
