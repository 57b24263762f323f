package org.barecat.remote;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;

/**
 * A bucket, through the AWS SDK's S3 client: credentials, region, endpoint and retries with backoff
 * as AWS's tools find them (environment, {@code AWS_PROFILE}, {@code ~/.aws}, instance and container
 * roles), overridden by {@code -o endpoint=}, {@code region=}, {@code profile=}, {@code path_style}; with
 * {@code -o anonymous}, no credentials at all: unsigned requests, as a public bucket takes them.
 */
final class S3Store implements ObjectStore {
    /** Where no region is configured: what S3-compatible servers accept, and AWS redirects from. */
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private final String bucket;
    private final S3Client client;
    /** The endpoint when one was given (option or environment), for messages; else null. */
    private final String endpoint;
    private final String profile;

    S3Store(String bucket, RemoteOptions options) {
        this.bucket = bucket;
        this.profile = options.profile();
        this.endpoint = options.endpoint() != null ? options.endpoint() : environmentEndpoint();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(region(options.profile(), options.region(), endpoint == null))
                .forcePathStyle(options.pathStyle() || (endpoint != null && isLocal(endpoint)))
                // ranged GETs have no whole-object checksum to check, and requests carry no body
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        if (options.endpoint() != null) {
            builder.endpointOverride(URI.create(options.endpoint()));
        }
        if (options.anonymous()) {
            builder.credentialsProvider(AnonymousCredentialsProvider.create());
        } else if (options.profile() != null) {
            // the profile named, not whatever the chain would find first (environment variables)
            builder.credentialsProvider(ProfileCredentialsProvider.builder().profileName(options.profile()).build())
                    .overrideConfiguration(c -> c.defaultProfileName(options.profile()));
        }
        if (endpoint == null) {
            builder.crossRegionAccessEnabled(true); // AWS itself: a bucket in another region than the configured one
        }
        this.client = builder.build();
    }

    /** The endpoint AWS's tools take from the environment, as the SDK does ({@code AWS_ENDPOINT_URL_S3} first). */
    private static String environmentEndpoint() {
        String s3 = System.getenv("AWS_ENDPOINT_URL_S3");
        return s3 != null && !s3.isBlank() ? s3 : blankToNull(System.getenv("AWS_ENDPOINT_URL"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The region given, else the one AWS's conventions give (system properties, environment, profile,
     * and on AWS itself the instance's), else us-east-1. A server of one's own (an endpoint) is not on
     * an instance that knows its region: asking the instance metadata there would only wait for a timeout.
     */
    private static Region region(String profile, String given, boolean onAws) {
        if (given != null) {
            return Region.of(given);
        }
        try {
            if (onAws) {
                DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
                if (profile != null) {
                    chain.profileName(profile);
                }
                return chain.build().getRegion();
            }
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                    profile == null ? new AwsProfileRegionProvider()
                            : new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, profile)).getRegion();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }

    /**
     * An endpoint on an IP address or localhost: a MinIO-like server, which has no per-bucket host
     * names, so path-style addressing is the only one that works.
     */
    static boolean isLocal(String endpoint) {
        String host = URI.create(endpoint).getHost();
        if (host == null) {
            return false;
        }
        return host.equals("localhost") || host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        try {
            HeadObjectResponse r = client.headObject(b -> b.bucket(bucket).key(key));
            Instant modified = r.lastModified() == null ? Instant.EPOCH : r.lastModified();
            return new ObjectInfo(r.contentLength(), r.eTag() == null ? "" : r.eTag(), modified);
        } catch (SdkException e) {
            throw describe(url(key), e);
        }
    }

    @Override
    public InputStream open(String key, ObjectInfo object, long start, long length) throws IOException {
        try {
            return client.getObject(request(key, object).range("bytes=" + start + "-" + (start + length - 1)).build());
        } catch (SdkException e) {
            throw describe(url(key), e);
        }
    }

    /** A GET of the version {@code object} of {@code key}: another version answers 412, never its bytes. */
    private GetObjectRequest.Builder request(String key, ObjectInfo object) {
        GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key);
        return object.version().isEmpty() ? b : b.ifMatch(object.version());
    }

    /** The SDK's exception as an {@link IOException} whose message is one line naming {@code url} and the reason. */
    private IOException describe(String url, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String detail = code == null ? "" : ", " + code;
            return switch (s3.statusCode()) {
                case 404 -> new NoSuchFileException(url, null, "no such object (404" + detail + ")");
                case 403 -> new AccessDeniedException(url, null, "access denied (403" + detail
                        + "): check the credentials and the bucket's permissions");
                case 412 -> new IOException(url + ": changed on the server since the archive was opened");
                case 301 -> new IOException(url + ": the bucket is in another region (301): give -o region=");
                default -> new IOException(url + ": the server answered " + s3.statusCode()
                        + (code == null ? "" : " " + code));
            };
        }
        String where = endpoint == null ? "S3" : endpoint;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new IOException(url + ": cannot connect to " + where + " (" + t.getMessage() + ")", e);
            }
            if (t instanceof UnknownHostException) {
                return new IOException(url + ": unknown host " + t.getMessage() + " (endpoint " + where + ")", e);
            }
            if (t instanceof SocketTimeoutException) {
                return new IOException(url + ": " + where + " timed out", e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (profile != null && e instanceof SdkClientException && message.contains("profile")) {
            return new IOException(url + ": no credentials in AWS profile '" + profile + "'", e);
        }
        if (message.startsWith("Unable to load credentials")) {
            return new IOException(url + ": no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " or AWS_PROFILE, or give -o profile=)", e);
        }
        int newline = message.indexOf('\n');
        return new IOException(url + ": " + (newline < 0 ? message : message.substring(0, newline)), e);
    }

    @Override
    public void close() {
        client.close();
    }
}
