import { Injectable } from '@nestjs/common';
import type { DeliveryDto } from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { toDeliveryView } from '../domain/delivery';
import { DeliveriesRepository } from '../ports/deliveries.repository';
import { DeliveryScheduler } from '../services/delivery-scheduler';

/**
 * An admin asks for a delivery to be tried again now. A FAILED or SUCCEEDED one gets one more
 * attempt; a PENDING one is brought forward. This replica attempts it at once, unless another
 * live replica holds it already (then that one does, as soon as its lane allows).
 */
@Injectable()
export class RetryDeliveryHandler {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute(webhookId: string, deliveryId: string): Promise<DeliveryDto> {
    const live = await this.scheduler.liveInstances();
    const retried = await this.deliveries.retryNow(
      webhookId,
      deliveryId,
      this.scheduler.instanceId,
      live,
      new Date(),
    );
    if (!retried) throw new NotFound('delivery');
    if (retried.claimed) this.scheduler.take([retried.delivery]);
    return toDeliveryView(retried.delivery);
  }
}
